// Throughput of the event store against a real NATS server. Run from the repo root:
//   node --conditions=@cim/source --import tsx libs/event-store/bench/append.bench.ts [nats-url] [events]
// Defaults: NATS_URL or nats://127.0.0.1:4222, 100000 events of about 1 KB. Uses its own stream and
// subject root and deletes them at the end.
import { randomBytes } from 'node:crypto';
import { createEvent, encodeEvent, type InfrastructureEvent, newId, rootIdentity } from '@cim/contract';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { decodeStoredEvent, EVENT_STORE_CONNECTION_DEFAULTS, EventStore } from '../src/index.js';

const url = process.argv[2] ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const total = Number(process.argv[3] ?? 100_000);
const sequentialCount = Math.min(5_000, total);
const TARGET_BYTES = 1_000;

const event = (padding: number): InfrastructureEvent =>
  createEvent('ComputeRegistered', {
    aggregate_id: newId(),
    aggregate_version: 1,
    identity: rootIdentity(newId()),
    payload: {
      hostname: `bench-${newId().slice(-12)}`,
      resource_type: 'virtual_machine',
      labels: { pad: 'x'.repeat(padding) },
    },
  });

const padding = Math.max(0, TARGET_BYTES - encodeEvent(event(0)).length);
const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');
const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
};

const suffix = randomBytes(4).toString('hex');
const nc = await connect({ servers: url, ...EVENT_STORE_CONNECTION_DEFAULTS, name: 'event-store-bench' });
const store = await EventStore.open(nc, {
  stream: { name: `BENCH_${suffix.toUpperCase()}`, subjectRoot: `bench_${suffix}` },
});
try {
  const sequential = Array.from({ length: sequentialCount }, () => event(padding));
  const bulk = Array.from({ length: total }, () => event(padding));
  const size = bulk.reduce((sum, e) => sum + encodeEvent(e).length, 0) / bulk.length;
  console.log(
    `nats-server ${nc.info?.version} at ${url}; events of ${Math.round(size)} bytes of JSON + identity headers`,
  );

  const [, seqMs] = await time(async () => {
    for (const e of sequential) await store.append(e);
  });
  console.log(
    `append, sequential awaited  ${sequentialCount} events: ${perSecond(sequentialCount, seqMs)} events/s`,
  );

  const [result, bulkMs] = await time(() => store.appendMany(bulk));
  console.log(
    `appendMany (inFlight 256)    ${result.count} events: ${perSecond(result.count, bulkMs)} events/s`,
  );

  const stored = sequentialCount + total;
  const [read, readMs] = await time(async () => {
    let n = 0;
    for await (const _ of store.readAll()) n++;
    return n;
  });
  console.log(`readAll, no decode           ${read} events: ${perSecond(read, readMs)} events/s`);

  const [decoded, decodeMs] = await time(async () => {
    let ok = 0;
    for await (const s of store.readAll()) if (decodeStoredEvent(s).ok) ok++;
    return ok;
  });
  console.log(`readAll + decodeStoredEvent  ${decoded} events: ${perSecond(decoded, decodeMs)} events/s`);
  if (read !== stored || decoded !== stored)
    throw new Error(`expected ${stored} events, read ${read}, decoded ${decoded}`);
} finally {
  await store.close();
  await (await jetstreamManager(nc)).streams.delete(store.streamName).catch(() => false);
  await nc.close();
}
