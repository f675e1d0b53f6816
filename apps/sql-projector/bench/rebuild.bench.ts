// Full-rebuild throughput of the SQL projector against real NATS and PostgreSQL. From the repo root:
//   node --conditions=@cim/source --import tsx apps/sql-projector/bench/rebuild.bench.ts [events] [maxBatch]
// Defaults: 200000 events (resources = events / 8, fleet seed 1), MAX_BATCH 2000 (the kit's default, which the app uses).
// NATS_URL and DATABASE_URL (a server to create a scratch database on) default to the local services.
// A child process seeds an isolated stream with the fleet generator, so the projector's RSS is
// measured alone. Then: catch-up of an empty model, and a blue/green (shadow) rebuild of it.
// The stream and the database are removed at the end, also on Ctrl-C.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EventStore } from '@cim/event-store';
import { generateFleet } from '@cim/fleet-generator';
import { Projector } from '@cim/projection-kit';
import { createTestDatabase, uniqueName } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import { openDatabase } from '../src/database.js';
import { createSqlProjectorMetrics } from '../src/metrics.js';
import { SqlProjectionAdapter } from '../src/sql-adapter.js';

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const [mode, ...args] = process.argv.slice(2);

if (mode === '--seed') {
  const [stream, root, events] = args as [string, string, string];
  const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
  const store = await EventStore.open(nc, { stream: { name: stream, subjectRoot: root } });
  const total = Number(events);
  await store.appendMany(
    generateFleet({ resources: Math.max(8, Math.floor(total / 8)), events: total, seed: 1 }),
  );
  await store.close();
  await nc.close();
  process.exit(0);
}

const events = Number(mode ?? 200_000);
const maxBatch = Number(args[0] ?? 2_000);
const root = uniqueName('bench_sqlp');
const stream = root.toUpperCase();
const dlq = { stream: `${stream}_DLQ`, prefix: `dlq_${root}` };
const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
const db = await createTestDatabase('bench_sqlp');
const database = await openDatabase({ url: db.url });
let cleaned: Promise<void> | undefined;
const cleanUp = () => {
  cleaned ??= (async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => {});
    await jsm.streams.delete(dlq.stream).catch(() => {});
    await nc.close();
    await database.close().catch(() => {});
    await db.drop();
  })();
  return cleaned;
};
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

const seed = async () => {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const self = fileURLToPath(import.meta.url);
    const child = spawn(
      process.execPath,
      ['--conditions=@cim/source', '--import', 'tsx', self, '--seed', stream, root, String(events)],
      { stdio: 'inherit' },
    );
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding exited with ${code}`))));
  });
  console.log(
    `seeded ${events.toLocaleString('en-US')} generated events in ${seconds(performance.now() - started)}`,
  );
};

const untilCaughtUp = async (p: Projector, started: number) => {
  for (;;) {
    const s = await p.status();
    if (s.state === 'running' && s.checkpoint >= events) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
};

try {
  await seed();
  const registry = new Registry();
  const adapter = new SqlProjectionAdapter({
    database,
    schema: 'cim',
    metrics: createSqlProjectorMetrics(registry),
  });
  let peakRss = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed + m.external + m.arrayBuffers);
  }, 100);
  const baseRss = process.memoryUsage.rss();
  const cpu = process.cpuUsage();
  let started = performance.now();
  const p = await Projector.start({ adapter, nc, stream, subjectRoot: root, dlq, maxBatch, registry });
  const catchUpMs = await untilCaughtUp(p, started);
  const catchUpRss = peakRss;
  started = performance.now();
  await p.rebuild({ shadow: true });
  const rebuildMs = await untilCaughtUp(p, started);
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);

  const metrics = await registry.getMetricsAsJSON();
  const phase = (name: string) =>
    metrics
      .find((m) => m.name === 'cim_sql_projector_batch_phase_seconds')
      ?.values.find(
        (v) => v.labels.phase === name && String((v as { metricName?: string }).metricName).endsWith('_sum'),
      )?.value ?? 0;
  const rows = metrics.find((m) => m.name === 'cim_sql_projector_rows_written_total')?.values[0]?.value ?? 0;
  const version = await database.db
    .selectNoFrom((eb) => eb.fn<string>('current_setting', [eb.val('server_version')]).as('v'))
    .executeTakeFirst();
  console.log(
    `PostgreSQL ${version?.v}, MAX_BATCH ${maxBatch}, load average ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `catch-up into an empty model  ${events} events: ${perSecond(events, catchUpMs)} events/s (${seconds(catchUpMs)})`,
  );
  console.log(
    `shadow rebuild + swap         ${events} events: ${perSecond(events, rebuildMs)} events/s (${seconds(rebuildMs)})`,
  );
  console.log(
    `both runs: ${Math.round(rows).toLocaleString('en-US')} rows written; fold ${phase('fold').toFixed(1)} s, ` +
      `set-based writes ${phase('write').toFixed(1)} s; projector CPU ${seconds((used.user + used.system) / 1000)}`,
  );
  console.log(
    `RSS: ${mb(baseRss)} before, peak ${mb(catchUpRss)} in catch-up, ${mb(peakRss)} overall; JS heap + buffers peak ${mb(peakHeap)}`,
  );
  await p.stop();
} finally {
  await cleanUp();
}
