import type { ProjectorStatus } from '@cim/projection-kit';
import { table } from './output.js';

const n = (value: number) => value.toLocaleString('en-US');

/** The fleet table of `cim status` and `cim projector list`. */
export function statusTable(statuses: readonly ProjectorStatus[]): string {
  if (statuses.length === 0) return 'no projector answered (start them with `cim up` or `npm start`)';
  return table(
    statuses.map((s) => [
      s.name,
      s.state,
      s.health,
      n(s.checkpoint),
      n(s.stream_last_sequence),
      n(s.lag_events),
      s.lag_seconds.toFixed(1),
      n(s.rate_per_second),
      n(s.dead_lettered),
      s.rebuild ? `${Math.floor((100 * s.rebuild.done) / Math.max(1, s.rebuild.total))}%` : '',
      s.last_error && s.health !== 'ok' ? s.last_error.message : '',
    ]),
    [
      'PROJECTOR',
      'STATE',
      'HEALTH',
      'CHECKPOINT',
      'STREAM',
      'LAG',
      'LAG S',
      'EVENTS/S',
      'DLQ',
      'REBUILD',
      'ERROR',
    ],
  );
}
