import type { InfrastructureEvent } from '@cim/contract';
import { generateFleet } from '@cim/fleet-generator';
import { createTestDatabase, type TestDatabase } from '@cim/test-support';
import type { StreamEvent } from '../adapter.js';
import { createIsolatedStream, type IsolatedStream } from './isolated-stream.js';
import { PgReferenceAdapter } from './pg-reference-adapter.js';
import { foldReference } from './reference-projection.js';

/** An isolated stream plus a database for the kit's own tests, with the PostgreSQL reference adapter. */
export interface KitHarness extends IsolatedStream {
  db: TestDatabase;
  adapter(name: string): PgReferenceAdapter;
  /** The fold of every valid published event, in stream order. */
  expected(filter?: (e: StreamEvent) => boolean): ReturnType<typeof foldReference>;
}

export const fleet = (seed: number, resources: number, events: number): InfrastructureEvent[] => [
  ...generateFleet({ resources, events, seed }),
];

export const createKitHarness = async (natsUrl: string): Promise<KitHarness> => {
  const stream = await createIsolatedStream(natsUrl);
  const db = await createTestDatabase('kit');
  return {
    ...stream,
    db,
    adapter: (name) => new PgReferenceAdapter({ connectionString: db.url, name, schema: name }),
    expected: (filter = () => true) => foldReference(stream.stored.filter(filter)),
    async close() {
      await stream.close();
      await db.drop();
    },
  };
};
