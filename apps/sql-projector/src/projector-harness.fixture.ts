/**
 * Test fixture: an isolated stream, subject root, DLQ, admin prefix and PostgreSQL database for one
 * test file, plus helpers to publish events, run the SQL adapter under a real kit Projector and
 * compute the model the published events must produce.
 */
import type { StreamEvent } from '@cim/projection-kit';
import { createIsolatedStream, type IsolatedStream } from '@cim/projection-kit/testing';
import { createTestDatabase, reachNats, type TestDatabase } from '@cim/test-support';
import { type OpenDatabase, openDatabase } from './database.js';
import type { SqlProjectorMetrics } from './metrics.js';
import { type ReadModel, readModelOf } from './read-model.js';
import { referenceModel } from './reference-model.fixture.js';
import { type ModelSnapshot, snapshotModel } from './snapshot.fixture.js';
import { SqlProjectionAdapter } from './sql-adapter.js';

export interface SqlHarness extends IsolatedStream {
  db: TestDatabase;
  /** A new adapter on its own pool; `url` overrides the database URL (e.g. through a proxy). */
  adapter(
    schema: string,
    options?: { url?: string; name?: string; metrics?: SqlProjectorMetrics },
  ): Promise<SqlProjectionAdapter>;
  /** A read model on its own connection, closed by `close()`. */
  readModel(schema: string): Promise<ReadModel>;
  snapshot(schema: string, projector?: string): Promise<ModelSnapshot>;
  /** The model a correct projection of the stored events (optionally filtered) has. */
  expected(filter?: (e: StreamEvent) => boolean): ModelSnapshot;
}

export const createSqlHarness = async (prefix: string): Promise<SqlHarness> => {
  const nats = await reachNats(process.env.NATS_URL || 'nats://127.0.0.1:4222');
  const stream = await createIsolatedStream(nats.url, prefix);
  const db = await createTestDatabase(prefix);
  const opened: OpenDatabase[] = [];
  const open = async (url = db.url) => {
    const database = await openDatabase({ url });
    opened.push(database);
    return database;
  };
  const inspector = await open();
  return {
    ...stream,
    db,
    adapter: async (schema, options = {}) =>
      new SqlProjectionAdapter({
        database: await open(options.url),
        schema,
        ...(options.name !== undefined && { name: options.name }),
        ...(options.metrics && { metrics: options.metrics }),
      }),
    readModel: async (schema) => readModelOf(await open(), { schema }),
    snapshot: (schema, projector = 'sql-projector') => snapshotModel(inspector.db, schema, projector),
    expected: (filter = () => true) => referenceModel(stream.stored.filter(filter)),
    async close() {
      await stream.close();
      // Pools the adapters already closed reject a second end(); that is fine here.
      await Promise.all(opened.map((d) => d.close().catch(() => {})));
      await db.drop();
    },
  };
};
