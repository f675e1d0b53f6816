/**
 * Generation speed of the fleet generator. From the repository root:
 *   node --conditions=@cim/source --import tsx libs/fleet-generator/bench/generate.bench.ts [events] [resources]
 * Defaults: 1,000,000 events over 10,000 resources. Prints events/s by wall clock and by CPU time
 * (all threads, so GC helpers count; steadier than wall clock on a busy machine). Nothing is asserted.
 */
import { generateFleet } from '../src/index.js';

const events = Number(process.argv[2] ?? 1_000_000);
const resources = Number(process.argv[3] ?? 10_000);

const run = (count: number) => {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let produced = 0;
  for (const _ of generateFleet({ resources, events: count, seed: 42 })) produced++;
  if (produced !== count) throw new Error(`expected ${count} events, got ${produced}`);
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
};

const rate = (ms: number) => Math.round((events / ms) * 1000).toLocaleString('en');

run(Math.min(events, 50_000)); // warm-up
const { wallMs, cpuMs } = run(events);
const heapMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
console.log(
  `generated ${events.toLocaleString('en')} events over ${resources.toLocaleString('en')} resources in ` +
    `${(wallMs / 1000).toFixed(2)} s: ${rate(wallMs)} events/s wall, ${rate(cpuMs)} events/s per CPU-second ` +
    `(heap ${heapMb} MiB)`,
);
