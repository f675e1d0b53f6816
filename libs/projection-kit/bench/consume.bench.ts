/**
 * The kit's own ceiling: a Projector with an adapter that does nothing but keep its checkpoint,
 * replaying a generated stream. Run from the repo root:
 *   node --conditions=@cim/source --import tsx libs/projection-kit/bench/consume.bench.ts [events]
 * KEEP=1 keeps the stream and prints REUSE=<root>; REUSE=<root> replays it without seeding (for
 * --cpu-prof runs that show only the replay).
 */
import { EVENT_STORE_CONNECTION_DEFAULTS, EventStore } from '@cim/event-store';
import { generateFleet } from '@cim/fleet-generator';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { ProjectionAdapter } from '../src/adapter.js';
import { Projector } from '../src/projector.js';
import { profileGc } from './gc-profile.js';

const events = Number(process.argv[2] ?? 200_000);
const nc = await connect({
  servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
  ...EVENT_STORE_CONNECTION_DEFAULTS,
});
// REUSE=<root> replays a stream kept by an earlier run (KEEP=1), so a profile shows only the replay.
const root = process.env.REUSE ?? `kitbench${Date.now().toString(36)}`;
const stream = root.toUpperCase();
const store = await EventStore.open(nc, { stream: { name: stream, subjectRoot: root } });
if (!process.env.REUSE)
  await store.appendMany(generateFleet({ resources: Math.max(100, events / 50), events, seed: 3 }));
const last = await store.lastSequence();

let checkpoint = 0;
const noop: ProjectionAdapter<null> = {
  name: 'kitbench',
  initialize: async () => {},
  transaction: async (work) => work(null),
  readCheckpoint: async () => checkpoint,
  project: async () => {},
  writeCheckpoint: async (sequence) => {
    checkpoint = sequence;
  },
  reset: async () => {
    checkpoint = 0;
  },
  healthCheck: async () => ({ state: 'ok' }),
};

const started = performance.now();
const cpuBefore = process.cpuUsage();
const gcProfile = profileGc();
const projector = await Projector.start({
  adapter: noop,
  nc,
  stream,
  subjectRoot: root,
  dlq: { stream: `${stream}_DLQ`, prefix: `${root}_dlq` },
  maxBatch: Number(process.env.MAX_BATCH ?? 2000),
});
while (checkpoint < last) await new Promise((r) => setTimeout(r, 20));
const seconds = (performance.now() - started) / 1000;
// CPU time per event is steadier than wall time on a shared machine: it ignores time spent waiting.
const cpu = process.cpuUsage(cpuBefore);
const gc = gcProfile.stop();
console.log(
  `kit replay, no-op adapter: ${last} events in ${seconds.toFixed(2)} s = ${Math.round(last / seconds).toLocaleString()} events/s; ${((cpu.user + cpu.system) / last).toFixed(1)} µs CPU/event; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; ${Math.round(gc.allocatedBytes / last)} bytes allocated/event; GC ${Math.round(gc.gcMs)} ms (${gc.scavenges} scavenges, ${gc.markCompacts} mark-compacts)`,
);
await projector.stop();
const jsm = await jetstreamManager(nc);
await jsm.consumers.delete(stream, 'kitbench').catch(() => {});
if (process.env.KEEP) console.log(`kept: REUSE=${root}`);
else await jsm.streams.delete(stream);
await jsm.streams.delete(`${stream}_DLQ`).catch(() => {});
await nc.close();
