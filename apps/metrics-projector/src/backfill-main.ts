#!/usr/bin/env node
// History from events: replays the event stream and writes OpenMetrics text for promtool.
//   cim-metrics-backfill --from 2025-01-01T00:00:00Z --to 2025-01-02T00:00:00Z --step 1m --out DIR
//     [--nats nats://127.0.0.1:4222] [--stream INFRASTRUCTURE_EVENTS] [--subject-root infrastructure]
//     [--max-resource-series 0]
// then: promtool tsdb create-blocks-from openmetrics DIR/cim-metrics.om PROMETHEUS_DATA_DIR
import { parseArgs } from 'node:util';
import { EventStore } from '@cim/event-store';
import { connect } from '@nats-io/transport-node';
import { backfillOpenMetrics } from './backfill-openmetrics.js';
import { parseStep } from './parse-step.js';

const usage =
  'usage: cim-metrics-backfill --from ISO --to ISO --step 1m --out DIR [--nats URL] [--stream NAME] ' +
  '[--subject-root TOKEN] [--max-resource-series N]';

const fail = (message: string): never => {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
};

const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    step: { type: 'string', default: '1m' },
    out: { type: 'string' },
    nats: { type: 'string', default: 'nats://127.0.0.1:4222' },
    stream: { type: 'string', default: 'INFRASTRUCTURE_EVENTS' },
    'subject-root': { type: 'string', default: 'infrastructure' },
    'max-resource-series': { type: 'string', default: '0' },
  },
});
const date = (name: 'from' | 'to'): Date => {
  const d = new Date(values[name] ?? fail(`--${name} is required`));
  return Number.isNaN(d.getTime()) ? fail(`--${name} must be an ISO-8601 time`) : d;
};
const from = date('from');
const to = date('to');
const out = values.out ?? fail('--out is required');
let stepMs = 0;
try {
  stepMs = parseStep(values.step);
} catch (error) {
  fail(`--step: ${(error as Error).message}`);
}

const nc = await connect({ servers: values.nats, name: 'metrics-backfill' });
try {
  const store = await EventStore.open(nc, {
    stream: { name: values.stream, subjectRoot: values['subject-root'] },
    ensureStream: false,
  });
  const result = await backfillOpenMetrics({
    events: store.readAll(),
    from,
    to,
    stepMs,
    out,
    maxResourceSeries: Number(values['max-resource-series']),
  });
  process.stdout.write(
    `wrote ${result.samples} samples of ${result.series} series at ${result.steps} steps ` +
      `(${result.events} events, ${result.skipped} undecodable skipped) to ${result.file}\n` +
      `next: ${result.promtoolCommand}\n`,
  );
} finally {
  await nc.close();
}
