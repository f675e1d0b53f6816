import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EVENT_STORE_CONNECTION_DEFAULTS, EventStore } from '@cim/event-store';
import { uniqueName } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { BenchContext } from './bench-context.js';
import { ProgressTracker } from './progress-tracker.js';
import type { Launch } from './projector-process.js';

/**
 * Runs `work` on an isolated stream of its own (stream, DLQ, subjects and admin prefix named after a
 * fresh root), with the context every stage takes; deletes the stream and its DLQ afterwards, also
 * when `work` fails.
 */
export const withBenchStream = async <T>(
  o: { natsUrl: string; outDir: string; launch: Launch; log(line: string): void },
  work: (ctx: BenchContext) => Promise<T>,
): Promise<T> => {
  const nc = await connect({ servers: o.natsUrl, ...EVENT_STORE_CONNECTION_DEFAULTS, name: 'cim-bench' });
  const root = uniqueName('bench');
  const stream = root.toUpperCase();
  const adminPrefix = `${root}_admin`;
  const store = await EventStore.open(nc, { stream: { name: stream, subjectRoot: root } });
  const tracker = new ProgressTracker(nc, adminPrefix);
  const logDir = join(o.outDir, 'logs', root);
  await mkdir(logDir, { recursive: true });
  try {
    return await work({
      root,
      nc,
      store,
      tracker,
      logDir,
      log: o.log,
      launch: o.launch,
      env: {
        NATS_URL: o.natsUrl,
        EVENT_STREAM: stream,
        SUBJECT_ROOT: root,
        ADMIN_PREFIX: adminPrefix,
        DLQ_STREAM: `${stream}_DLQ`,
        DLQ_PREFIX: `${root}_dlq`,
        DB_SCHEMA: 'cim_bench',
      },
    });
  } finally {
    tracker.stop();
    const jsm = await jetstreamManager(nc);
    for (const name of [stream, `${stream}_DLQ`]) await jsm.streams.delete(name).catch(() => {});
    await store.close();
    await nc.close();
  }
};
