/**
 * Commands per second through the command service, over NATS request/reply, against real JetStream.
 *
 *   node --conditions=@cim/source --import tsx apps/command-service/bench/throughput.ts \
 *     [--requests 20000] [--concurrency 32] [--instances 1] [--sequential 3000] [--nats nats://127.0.0.1:4222]
 *     [--profile DIR]   (CPU profiles of the service processes, for `node --cpu-prof` tooling)
 *
 * Starts `--instances` service processes (src/main.ts) on a fresh stream, subject root and command
 * prefix, then measures, for one requester (sequential) and for `--concurrency` requesters:
 *   register  — each request registers a new resource with its own hostname;
 *   measure   — each requester records measurements on its own resource (distinct aggregates).
 * Every command goes through validation, decide and an append with optimistic concurrency.
 * The stream is deleted afterwards. Prints one line per run and a JSON summary.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CommandReply, newId } from '@cim/contract';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '32' },
    instances: { type: 'string', default: '1' },
    sequential: { type: 'string', default: '3000' },
    nats: { type: 'string', default: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' },
    profile: { type: 'string' },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const instances = Number(values.instances);
const sequentialRequests = Number(values.sequential);
const natsUrl = values.nats;

const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const env = {
  ...process.env,
  NATS_URL: natsUrl,
  EVENT_STREAM: `BENCH_CMD_${tag}`.toUpperCase(),
  SUBJECT_ROOT: `bench_${tag}`,
  COMMAND_PREFIX: `benchcmd_${tag}.cmd`,
  LOG_LEVEL: 'warn',
};
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

async function startInstance(): Promise<ChildProcess> {
  const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
  const child = spawn(process.execPath, [...profile, '--conditions=@cim/source', '--import', 'tsx', main], {
    env: { ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (line.includes('command service ready')) break;
  }
  lines.on('line', () => {}); // keep draining
  return child;
}

const children: ChildProcess[] = [];
// Never leave a service behind, whatever happens to the bench.
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
for (let i = 0; i < instances; i++) children.push(await startInstance());

const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
let failures = 0;
const send = async (name: string, payload: unknown): Promise<CommandReply> => {
  const msg = await nc.request(
    `${env.COMMAND_PREFIX}.${name}`,
    JSON.stringify({ command_id: newId(), payload }),
    {
      timeout: 30_000,
    },
  );
  const reply = msg.json<CommandReply>();
  if (!reply.ok) failures++;
  return reply;
};

/** Runs `total` commands with `workers` requesters; `make(worker, i)` builds each command. */
async function measure(
  label: string,
  total: number,
  workers: number,
  make: (w: number, i: number) => [string, unknown],
) {
  failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = next++; i < total; i = next++) {
        const [name, payload] = make(w, i);
        await send(name, payload);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const rate = Math.round(total / seconds);
  console.log(
    `${label.padEnd(34)} ${String(total).padStart(6)} commands in ${seconds.toFixed(2)} s = ${rate} commands/s (${failures} rejected)`,
  );
  return { label, total, workers, seconds, rate, rejected: failures };
}

// One resource per requester for the measurement runs (distinct aggregates).
const owned: string[] = [];
for (let w = 0; w < Math.max(concurrency, 1); w++) {
  const r = await send('compute.register', { hostname: `bench-owner-${w}`, resource_type: 'vm' });
  if (!r.ok) throw new Error(`setup failed: ${r.error?.message ?? JSON.stringify(r)}`);
  owned.push((r.events[0] as { aggregate_id: string }).aggregate_id);
}
const register =
  (prefix: string) =>
  (_w: number, i: number): [string, unknown] => [
    'compute.register',
    { hostname: `${prefix}-${i}`, resource_type: 'vm', cpu_cores: 4 },
  ];
const measurement = (_w: number, i: number, w = _w): [string, unknown] => [
  'compute.record-measurement',
  { resource_id: owned[w], cpu_utilization: (i % 100) / 100, latency_ms: 2 },
];

console.log(`command service bench: ${instances} instance(s), NATS ${natsUrl}, stream ${env.EVENT_STREAM}`);
const results = [
  await measure('register, sequential', sequentialRequests, 1, register('seq')),
  await measure('measure, sequential', sequentialRequests, 1, measurement),
  await measure(`register, ${concurrency} requesters`, requests, concurrency, register('par')),
  await measure(`measure, ${concurrency} requesters`, requests, concurrency, measurement),
];
console.log(JSON.stringify({ instances, concurrency, results }));

for (const child of children) {
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  if (code !== 0) console.error(`service instance exited with ${code}`);
}
const jsm = await jetstreamManager(nc);
await jsm.streams.delete(env.EVENT_STREAM).catch(() => false);
await nc.close();
