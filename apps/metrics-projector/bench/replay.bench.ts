// Full replay of the metrics projector through the real kit consumer. From the repository root:
//   node --conditions=@cim/source --import tsx apps/metrics-projector/bench/replay.bench.ts \
//     [--events 1000000] [--resources 125000] [--batch 2000] [--nats URL] [--stream NAME] [--keep]
// Seeds an isolated stream with the fleet generator (or reuses --stream NAME seeded by an earlier
// --keep run), then, each in a fresh child process (so the peak RSS printed is its own):
//   1. replay: one Projector with the MetricsAdapter from sequence 1 to the end, one /metrics
//      render, then a model snapshot saved to NATS KV;
//   2. snapshot start: a new adapter restores that snapshot and the Projector catches up from it;
//   3. kit ceiling: the same replay with an adapter that does nothing (consume + decode only).
// Peak RSS of run 1 is taken before the snapshot is encoded.
// Nothing is asserted; targets: >= 100k events/s, <= 250 MB peak RSS.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EventStore } from '@cim/event-store';
import { generateFleet } from '@cim/fleet-generator';
import { type ProjectionAdapter, Projector } from '@cim/projection-kit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import { KvSnapshotStore } from '../src/kv-snapshot-store.js';
import { registerModelMetrics } from '../src/metrics.js';
import { MetricsAdapter } from '../src/metrics-adapter.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    resources: { type: 'string' },
    batch: { type: 'string', default: '2000' },
    nats: { type: 'string', default: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' },
    stream: { type: 'string' },
    keep: { type: 'boolean', default: false },
    replay: { type: 'boolean', default: false },
    restore: { type: 'boolean', default: false },
    ceiling: { type: 'boolean', default: false },
  },
});
const events = Number(values.events);
const resources = Number(values.resources ?? Math.max(1, Math.floor(events / 8)));
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/** Child: the kit alone, with an adapter that applies nothing (the ceiling any adapter can reach). */
const ceiling = async (stream: string) => {
  const root = stream.toLowerCase();
  const nc = await connect({ servers: values.nats, noAsyncTraces: true });
  const jsm = await jetstreamManager(nc);
  const last = (await jsm.streams.info(stream)).state.last_seq;
  let checkpoint = 0;
  const adapter: ProjectionAdapter<{ at: number }> = {
    name: `bench_noop_${root}`,
    initialize: async () => {},
    transaction: async (work) => {
      const tx = { at: checkpoint };
      const result = await work(tx);
      checkpoint = tx.at;
      return result;
    },
    readCheckpoint: async (tx) => tx?.at ?? checkpoint,
    project: async () => {},
    writeCheckpoint: async (sequence, tx) => {
      tx.at = sequence;
    },
    reset: async () => {
      checkpoint = 0;
    },
    healthCheck: async () => ({ state: 'ok' }),
  };
  const started = performance.now();
  const projector = await Projector.start({
    adapter,
    nc,
    stream,
    subjectRoot: root,
    maxBatch: Number(values.batch),
    dlq: { stream: `${stream}_DLQ`, prefix: `dlq_${root}` },
  });
  while (checkpoint < last) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - started) / 1000;
  await projector.stop();
  await jsm.consumers.delete(stream, adapter.name).catch(() => {});
  await nc.close();
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const figures = { events: last, restored: 0, seconds, perSecond: Math.round(last / seconds), peakRssBytes };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
};

const bind = (s: KvSnapshotStore) => ({
  load: () => s.load(),
  save: (snapshot: Parameters<KvSnapshotStore['save']>[0]) => s.save(snapshot),
  clear: () => s.clear(),
});

/**
 * Child: brings a model to the end of `stream` (from sequence 1, or from the snapshot with
 * `--restore`), and prints one JSON line of figures.
 */
const child = async (stream: string, restore: boolean) => {
  const root = stream.toLowerCase();
  const name = `bench_${root}`;
  const nc = await connect({ servers: values.nats, noAsyncTraces: true });
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream);
  const last = info.state.last_seq;
  const snapshots = await KvSnapshotStore.open(nc, {
    bucket: `bench_${root}`,
    key: name,
    stream: `${stream}@${info.created}`,
    lastSequence: last,
  });
  // The replay run saves a snapshot at the end but must not start from an earlier one.
  const store = restore ? snapshots : { ...bind(snapshots), load: async () => undefined };
  const adapter = new MetricsAdapter({ name, snapshots: store });
  const registry = new Registry();
  registerModelMetrics(registry, adapter);
  const started = performance.now();
  const projector = await Projector.start({
    adapter,
    nc,
    stream,
    subjectRoot: root,
    maxBatch: Number(values.batch),
    dlq: { stream: `${stream}_DLQ`, prefix: `dlq_${root}` },
    registry,
  });
  while (adapter.model.sequence < last) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - started) / 1000;
  await projector.stop();
  const renderStart = performance.now();
  const text = await registry.metrics();
  const renderMs = performance.now() - renderStart;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  let saveMs = 0;
  if (!restore) {
    const saveStart = performance.now();
    await adapter.saveSnapshot();
    saveMs = performance.now() - saveStart;
  }
  await jsm.consumers.delete(stream, name).catch(() => {});
  await jsm.streams.delete(`${stream}_DLQ`).catch(() => {});
  if (restore) await jsm.streams.delete(`KV_bench_${root}`).catch(() => {});
  await nc.close();
  const figures = {
    events: last,
    restored: adapter.restoredSequence,
    seconds,
    perSecond: Math.round((last - adapter.restoredSequence) / seconds),
    peakRssBytes,
    renderMs: Math.round(renderMs),
    metricsBytes: text.length,
    saveMs: Math.round(saveMs),
    resources: adapter.model.resources.size,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
};

const report = (what: string, f: Record<string, number>) =>
  console.log(
    `${what}: ${f.seconds!.toFixed(2)} s to the end of ${f.events!.toLocaleString('en')} events ` +
      `(${(f.events! - f.restored!).toLocaleString('en')} applied, ${f.perSecond!.toLocaleString('en')} events/s), ` +
      `peak RSS ${mb(f.peakRssBytes!)}` +
      (f.resources === undefined
        ? ''
        : `; ${f.resources.toLocaleString('en')} live resources; /metrics render ${f.renderMs} ms ` +
          `(${mb(f.metricsBytes!)})`) +
      (f.saveMs ? `; snapshot save ${f.saveMs} ms` : ''),
  );

if (values.ceiling) {
  await ceiling(values.stream!);
} else if (values.replay || values.restore) {
  await child(values.stream!, values.restore);
} else {
  let stream = values.stream;
  const nc = await connect({ servers: values.nats, noAsyncTraces: true });
  if (!stream) {
    stream = `BENCH_METRICS_${Date.now().toString(36).toUpperCase()}`;
    const store = await EventStore.open(nc, { stream: { name: stream, subjectRoot: stream.toLowerCase() } });
    const t = performance.now();
    await store.appendMany(generateFleet({ resources, events, seed: 42 }));
    console.log(
      `seeded ${stream}: ${events.toLocaleString('en')} events over ${resources.toLocaleString('en')} resources ` +
        `in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    await store.close();
  }
  console.log(`nats-server ${nc.info?.version}, batch ${values.batch}`);
  const self = fileURLToPath(import.meta.url);
  const titles: Record<string, string> = {
    '--replay': 'replay from sequence 1',
    '--restore': 'start from KV snapshot',
    '--ceiling': 'kit ceiling (no-op adapter)',
  };
  for (const mode of Object.keys(titles)) {
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, self, mode, '--stream', stream, '--nats', values.nats, '--batch', values.batch],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = run.stdout.trim().split('\n').at(-1) ?? '';
    try {
      report(titles[mode]!, JSON.parse(line));
    } catch {
      console.error(`${mode} child failed (exit ${run.status}): ${run.stdout}`);
    }
  }
  if (!values.keep && !values.stream) await (await jetstreamManager(nc)).streams.delete(stream);
  else console.log(`kept stream ${stream}; rerun with --stream ${stream}`);
  await nc.close();
}
