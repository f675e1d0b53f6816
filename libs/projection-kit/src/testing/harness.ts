import type { InfrastructureEvent } from '@cim/contract';
import { EventStore } from '@cim/event-store';
import { generateFleet } from '@cim/fleet-generator';
import { createTestDatabase, type TestDatabase, uniqueName, waitFor } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { StreamEvent } from '../adapter.js';
import { Projector, type ProjectorOptions } from '../projector.js';
import { PgReferenceAdapter } from './pg-reference-adapter.js';
import { foldReference } from './reference-projection.js';

/** An isolated stream + subject root + DLQ + database for one test file, on one NATS server. */
export interface KitHarness {
  nc: NatsConnection;
  store: EventStore;
  db: TestDatabase;
  stream: string;
  root: string;
  dlq: { stream: string; prefix: string };
  adminPrefix: string;
  published: InfrastructureEvent[];
  publish(events: Iterable<InfrastructureEvent>): Promise<void>;
  publishRaw(subjectSuffix: string, data: string): Promise<void>;
  adapter(name: string): PgReferenceAdapter;
  start(adapter: PgReferenceAdapter, extra?: Partial<ProjectorOptions>): Promise<Projector>;
  /** The fold of every valid published event, in stream order. */
  expected(filter?: (e: StreamEvent) => boolean): ReturnType<typeof foldReference>;
  waitForCheckpoint(p: Projector, sequence: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const fleet = (seed: number, resources: number, events: number): InfrastructureEvent[] => [
  ...generateFleet({ resources, events, seed }),
];

export const createKitHarness = async (natsUrl: string): Promise<KitHarness> => {
  const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
  const root = uniqueName('t');
  const stream = root.toUpperCase();
  const store = await EventStore.open(nc, { stream: { name: stream, subjectRoot: root } });
  const db = await createTestDatabase('kit');
  const dlq = { stream: `${stream}_DLQ`, prefix: `dlq_${root}` };
  // Admin and DLQ subjects must stay outside `${root}.>`, which the event stream captures.
  const adminPrefix = `admin_${root}`;
  const stored: { sequence: number; event: InfrastructureEvent | null }[] = [];
  const published: InfrastructureEvent[] = [];
  const h: KitHarness = {
    nc,
    store,
    db,
    stream,
    root,
    dlq,
    adminPrefix,
    published,
    async publish(events) {
      const list = [...events];
      const first = (await store.lastSequence()) + 1;
      await store.appendMany(list);
      for (const [i, event] of list.entries()) stored.push({ sequence: first + i, event });
      published.push(...list);
    },
    async publishRaw(suffix, data) {
      const ack = await store.connection.request(`${root}.${suffix}`, data);
      const seq = (ack.json() as { seq: number }).seq;
      stored.push({ sequence: seq, event: null });
    },
    adapter: (name) => new PgReferenceAdapter({ connectionString: db.url, name, schema: name }),
    start: (adapter, extra = {}) =>
      Projector.start({ adapter, nc, stream, subjectRoot: root, dlq, maxBatch: 500, ...extra }),
    expected(filter = () => true) {
      const items: StreamEvent[] = stored
        .filter((s) => s.event !== null)
        .map((s) => ({ sequence: s.sequence, subject: '', timestamp: new Date(), event: s.event! }))
        .filter(filter);
      return foldReference(items);
    },
    async waitForCheckpoint(p, sequence, timeoutMs = 20_000) {
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
      await db.drop();
    },
  };
  return h;
};
