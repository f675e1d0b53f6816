// Full-replay throughput of the conceptual-space projector on real NATS and PostgreSQL. From the repo root:
//   node --conditions=@cim/source --import tsx apps/conceptual-space-projector/bench/replay.bench.ts [events] [resources] [maxBatch]
// Defaults: 1,000,000 events of a generated fleet of events/8 resources, batches of 5,000. NATS_URL and
// DATABASE_URL as for the tests. Seeds its own stream and database and removes both at the end.
import { EventStore } from '@cim/event-store';
import { generateFleet } from '@cim/fleet-generator';
import { foldBatch, Projector, type StreamEvent } from '@cim/projection-kit';
import { createTestDatabase, reachNats, uniqueName, waitFor } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { beginBatch, spaceProjection } from '../src/model.js';
import { SpaceAdapter, type SpaceTx } from '../src/space-adapter.js';

const events = Number(process.argv[2] ?? 1_000_000);
const resources = Number(process.argv[3] ?? Math.ceil(events / 8));
const maxBatch = Number(process.argv[4] ?? 5_000);
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} events/s`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const nats = await reachNats(process.env.NATS_URL || 'nats://127.0.0.1:4222');
const nc = await connect({ servers: nats.url, noAsyncTraces: true, name: 'space-bench' });
const root = uniqueName('spacebench');
const stream = root.toUpperCase();
const store = await EventStore.open(nc, { stream: { name: stream, subjectRoot: root } });
const db = await createTestDatabase('space_bench');
const adapter = new SpaceAdapter({ connectionString: db.url, schema: 'space', name: 'space_bench' });

// Time spent inside the adapter (fold + SQL + commit), to tell it from NATS delivery and decoding.
let inAdapterMs = 0;
const transaction = adapter.transaction.bind(adapter);
adapter.transaction = async <R>(work: (tx: SpaceTx) => Promise<R>): Promise<R> => {
  const start = performance.now();
  try {
    return await transaction(work);
  } finally {
    inAdapterMs += performance.now() - start;
  }
};

try {
  console.log(
    `nats-server ${nats.version}, PostgreSQL at ${new URL(db.url).host}; ${events.toLocaleString('en-US')} events, ${resources.toLocaleString('en-US')} resources, batches of ${maxBatch}`,
  );
  let start = performance.now();
  const appended = await store.appendMany(generateFleet({ resources, events, seed: 1 }));
  console.log(
    `seeded ${appended.count.toLocaleString('en-US')} events in ${seconds(performance.now() - start)}`,
  );

  start = performance.now();
  const projector = await Projector.start({
    adapter,
    nc,
    stream,
    subjectRoot: root,
    dlq: { stream: `${stream}_DLQ`, prefix: `dlq_${root}` },
    maxBatch,
  });
  await waitFor(async () => (await projector.status()).checkpoint >= events, {
    timeoutMs: 3_600_000,
    intervalMs: 200,
    message: 'the replay to finish',
  });
  const replayMs = performance.now() - start;
  const status = await projector.status();
  await projector.stop();
  console.log(
    `full replay (NATS → decode → fold → PostgreSQL, checkpoint per batch): ${seconds(replayMs)}, ${rate(events, replayMs)}`,
  );
  console.log(
    `  of which inside the adapter (fold + set-based SQL + commit): ${seconds(inAdapterMs)}, ${rate(events, inAdapterMs)}`,
  );
  console.log(
    `  resources in the store: ${adapter.model.resources.size.toLocaleString('en-US')}, dead-lettered: ${status.dead_lettered}`,
  );

  // The pure fold alone, for reference (events already decoded, no I/O).
  const items: StreamEvent[] = [];
  let sequence = 0;
  for (const event of generateFleet({ resources, events: Math.min(events, 200_000), seed: 1 }))
    items.push({ sequence: ++sequence, subject: '', timestamp: new Date(), event });
  start = performance.now();
  foldBatch(spaceProjection(adapter.config), beginBatch(adapter.model), items);
  console.log(
    `pure fold of ${items.length.toLocaleString('en-US')} decoded events: ${rate(items.length, performance.now() - start)}`,
  );
} finally {
  await adapter.close();
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(stream).catch(() => {});
  await jsm.streams.delete(`${stream}_DLQ`).catch(() => {});
  await store.close();
  await nc.close();
  await db.drop();
}
