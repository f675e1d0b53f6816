// The metrics projector process: wiring only. Configuration comes from the environment (env.ts).
import { EventStore } from '@cim/event-store';
import { EnvError, parseEnv, runProjector } from '@cim/projection-kit';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { pino } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { type MetricsEnv, metricsEnvSchema } from './env.js';
import { KvSnapshotStore } from './kv-snapshot-store.js';
import { refreshLag } from './lag-refresh.js';
import { registerModelMetrics } from './metrics.js';
import { MetricsAdapter } from './metrics-adapter.js';
import { scheduleSnapshots } from './snapshot-schedule.js';

let env: MetricsEnv;
try {
  env = parseEnv(metricsEnvSchema, process.env);
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  process.stderr.write(`metrics-projector: ${error.message}\n`);
  process.exit(1);
}

// The kit binds `projector` to what it logs; this process's own lines get it here.
const base = pino({ level: env.LOG_LEVEL });
const logger = base.child({ projector: env.PROJECTOR_NAME });

/** Snapshots live in NATS KV, keyed to this stream's identity so a recreated stream ignores them. */
const openSnapshots = async (nc: NatsConnection) => {
  const store = await EventStore.open(nc, {
    stream: { name: env.EVENT_STREAM, subjectRoot: env.SUBJECT_ROOT },
    ensureStream: false,
  });
  const info = await store.streamInfo();
  return KvSnapshotStore.open(nc, {
    bucket: env.SNAPSHOT_BUCKET,
    key: env.PROJECTOR_NAME,
    stream: `${env.EVENT_STREAM}@${info.created}`,
    lastSequence: info.state.last_seq,
  });
};

try {
  const snapshotNc = env.SNAPSHOT
    ? await connect({ servers: env.NATS_URL, name: `${env.PROJECTOR_NAME}-snapshots` })
    : undefined;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const adapter = new MetricsAdapter({
    name: env.PROJECTOR_NAME,
    maxResourceSeries: env.MAX_RESOURCE_SERIES,
    ...(snapshotNc && { snapshots: await openSnapshots(snapshotNc) }),
  });
  registerModelMetrics(registry, adapter);
  const running = await runProjector({ adapter, env, registry, logger: base });
  logger.info(
    { restoredSequence: adapter.restoredSequence },
    adapter.restoredSequence > 0 ? 'model restored from snapshot' : 'model rebuilt by replay from sequence 1',
  );
  refreshLag(running.projector);
  const snapshots = snapshotNc && scheduleSnapshots(adapter, env.SNAPSHOT_INTERVAL_SECONDS * 1000, logger);
  const onSignal = (signal: string) => {
    logger.info({ signal }, 'stopping');
    (async () => {
      await running.stop();
      await snapshots?.stop();
      await snapshotNc?.drain();
    })().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
} catch (error) {
  logger.error({ err: error }, 'metrics projector failed to start');
  process.exit(1);
}
