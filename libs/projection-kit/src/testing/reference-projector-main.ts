/**
 * A projector process for the kill -9 test: runs the PostgreSQL reference adapter until killed.
 * Test fixture only; configured by environment.
 */
import { connect } from '@nats-io/transport-node';
import { Projector } from '../projector.js';
import { PgReferenceAdapter } from './pg-reference-adapter.js';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const nc = await connect({ servers: env('NATS_URL'), noAsyncTraces: true });
const adapter = new PgReferenceAdapter({
  connectionString: env('DATABASE_URL'),
  name: env('PROJECTOR'),
  schema: env('PROJECTOR'),
  prefold: process.env.PREFOLD === '1',
});
const projector = await Projector.start({
  adapter,
  nc,
  stream: env('STREAM'),
  subjectRoot: env('ROOT'),
  dlq: { stream: env('DLQ_STREAM'), prefix: env('DLQ_PREFIX') },
  maxBatch: Number(process.env.MAX_BATCH ?? 200),
});
process.stdout.write('started\n');
process.once('SIGTERM', async () => {
  await projector.stop();
  await nc.drain();
  process.exit(0);
});
