import { PENDING_RESOURCE_ID, type PlannedCommand } from './planned-command.js';

/** What a planned command acts on, in a few words. */
export function planTarget(command: PlannedCommand): string {
  const p = command.payload;
  switch (command.name) {
    case 'compute.register':
      return command.payload.hostname;
    case 'network.define':
      return command.payload.cidr;
    case 'software.configure':
      return `${command.payload.name} ${command.payload.version}`;
    default:
      for (const key of ['resource_id', 'software_id', 'network_id'] as const) {
        if (key in p) {
          const id = (p as Record<string, unknown>)[key];
          return id === PENDING_RESOURCE_ID ? '(new resource)' : String(id);
        }
      }
      return '';
  }
}

/**
 * The plan as a text table for `cim discover --dry-run` (one row per command: command, target, why),
 * followed by a count; column widths follow the content.
 */
export function formatPlan(planned: readonly PlannedCommand[]): string {
  const rows = planned.map((c) => [c.name, planTarget(c), c.reason] as const);
  const header = ['COMMAND', 'TARGET', 'REASON'] as const;
  const widths = [0, 1].map((i) => Math.max(header[i]?.length ?? 0, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell))
      .join('  ')
      .trimEnd();
  const changes = planned.filter((c) => c.name !== 'compute.record-measurement').length;
  const summary =
    changes === 0
      ? 'no changes; only the measurement'
      : `${changes} change${changes === 1 ? '' : 's'} and the measurement`;
  return [line(header), ...rows.map(line), '', summary].join('\n');
}
