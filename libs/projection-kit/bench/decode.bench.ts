/**
 * What the kit pays to decode one event (JSON, envelope, upcasting, payload), without NATS or a
 * store: decodes a generated fleet's events from bytes, several rounds. Run from the repo root:
 *   node --conditions=@cim/source --import tsx libs/projection-kit/bench/decode.bench.ts [events] [rounds]
 * Besides time it prints the bytes allocated per event, which is steady from run to run where time
 * is not on a shared machine, and drives the young-generation GC cost of every replay.
 */
import { decodeEvent, encodeEvent } from '@cim/contract';
import { generateFleet } from '@cim/fleet-generator';
import { profileGc } from './gc-profile.js';

const events = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.argv[3] ?? 5);
const bytes = Array.from(
  generateFleet({ resources: Math.max(100, events / 50), events, seed: 3 }),
  encodeEvent,
);

const times: number[] = [];
let failures = 0;
const gcProfile = profileGc();
for (let r = 0; r < rounds; r++) {
  const started = process.hrtime.bigint();
  for (const b of bytes) if (!decodeEvent(b).ok) failures++;
  times.push(Number(process.hrtime.bigint() - started) / bytes.length);
}
const gc = gcProfile.stop();
if (failures > 0) throw new Error(`${failures} events failed to decode`);
const sorted = [...times].sort((a, b) => a - b);
const decoded = bytes.length * rounds;
console.log(
  `decodeEvent: ${bytes.length} events x ${rounds} rounds; ns/event per round ${times.map((t) => t.toFixed(0)).join(' ')}; median ${sorted[Math.floor(rounds / 2)]!.toFixed(0)} ns; ${Math.round(gc.allocatedBytes / decoded)} bytes allocated and ${Math.round((1e6 * gc.gcMs) / decoded)} ns of GC per event`,
);
