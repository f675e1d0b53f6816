/**
 * Test fixture: an isolated stream, subject root, DLQ, admin prefix and PostgreSQL database for one
 * test file, plus helpers to publish events, run the SQL adapter under a real kit Projector and
 * compute the model the published events must produce.
 */
import type { InfrastructureEvent } from '@cim/contract';
import { EventStore } from '@cim/event-store';
import { Projector, type ProjectorOptions, type StreamEvent } from '@cim/projection-kit';
import { createTestDatabase, reachNats, type TestDatabase, uniqueName, waitFor } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type OpenDatabase, openDatabase } from './database.js';
import { type ReadModel, readModelOf } from './read-model.js';
import { referenceModel } from './reference-model.fixture.js';
import { type ModelSnapshot, snapshotModel } from './snapshot.fixture.js';
import { SqlProjectionAdapter } from './sql-adapter.js';

export interface SqlHarness {
  nc: NatsConnection;
  store: EventStore;
  db: TestDatabase;
  stream: string;
  root: string;
  dlq: { stream: string; prefix: string };
  /** Valid events in stream order, with their sequences. */
  stored: StreamEvent[];
  publish(events: Iterable<InfrastructureEvent>): Promise<void>;
  /** Publishes bytes as-is (no validation, no dedup id): for poison events. */
  publishRaw(subjectSuffix: string, data: string): Promise<number>;
  /** A new adapter on its own pool; `url` overrides the database URL (e.g. through a proxy). */
  adapter(schema: string, options?: { url?: string; name?: string }): Promise<SqlProjectionAdapter>;
  start(adapter: SqlProjectionAdapter, extra?: Partial<ProjectorOptions>): Promise<Projector>;
  /** A read model on its own connection, closed by `close()`. */
  readModel(schema: string): Promise<ReadModel>;
  snapshot(schema: string, projector?: string): Promise<ModelSnapshot>;
  /** The model a correct projection of the stored events (optionally filtered) has. */
  expected(filter?: (e: StreamEvent) => boolean): ModelSnapshot;
  waitForCheckpoint(p: Projector, sequence: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const createSqlHarness = async (prefix: string): Promise<SqlHarness> => {
  const nats = await reachNats(process.env.NATS_URL || 'nats://127.0.0.1:4222');
  const nc = await connect({ servers: nats.url, noAsyncTraces: true });
  const root = uniqueName(prefix);
  const stream = root.toUpperCase();
  const store = await EventStore.open(nc, { stream: { name: stream, subjectRoot: root } });
  const db = await createTestDatabase(prefix);
  // DLQ subjects must stay outside `${root}.>`, which the event stream captures.
  const dlq = { stream: `${stream}_DLQ`, prefix: `dlq_${root}` };
  const opened: OpenDatabase[] = [];
  const stored: StreamEvent[] = [];
  const open = async (url = db.url) => {
    const database = await openDatabase({ url });
    opened.push(database);
    return database;
  };
  const inspector = await open();
  return {
    nc,
    store,
    db,
    stream,
    root,
    dlq,
    stored,
    async publish(events) {
      const list = [...events];
      const first = (await store.lastSequence()) + 1;
      await store.appendMany(list);
      list.forEach((event, i) => {
        stored.push({ sequence: first + i, subject: '', timestamp: new Date(), event });
      });
    },
    async publishRaw(suffix, data) {
      const ack = await nc.request(`${root}.${suffix}`, data);
      return (ack.json() as { seq: number }).seq;
    },
    adapter: async (schema, options = {}) =>
      new SqlProjectionAdapter({
        database: await open(options.url),
        schema,
        ...(options.name !== undefined && { name: options.name }),
      }),
    start: (adapter, extra = {}) =>
      Projector.start({ adapter, nc, stream, subjectRoot: root, dlq, maxBatch: 500, ...extra }),
    readModel: async (schema) => readModelOf(await open(), { schema }),
    snapshot: (schema, projector = 'sql-projector') => snapshotModel(inspector.db, schema, projector),
    expected: (filter = () => true) => referenceModel(stored.filter(filter)),
    async waitForCheckpoint(p, sequence, timeoutMs = 30_000) {
      await waitFor(async () => (await p.status()).checkpoint >= sequence, {
        timeoutMs,
        message: `${p.name} to reach checkpoint ${sequence}`,
      });
    },
    async close() {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete(stream).catch(() => {});
      await jsm.streams.delete(dlq.stream).catch(() => {});
      await store.close();
      await nc.close();
      // Pools the adapters already closed reject a second end(); that is fine here.
      await Promise.all(opened.map((d) => d.close().catch(() => {})));
      await db.drop();
    },
  };
};
