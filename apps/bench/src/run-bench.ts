import { join } from 'node:path';
import { generateFleet } from '@cim/fleet-generator';
import { appNodeOptions } from '@cim/projection-kit';
import { PROJECTORS, type ProjectorSpec } from './bench-context.js';
import { withBenchStream } from './bench-stream.js';
import { ceilingStage } from './ceiling-stage.js';
import { liveStage } from './live-stage.js';
import { machineFacts } from './machine-facts.js';
import { fmtCpu } from './process-cpu.js';
import { rebuildOnce } from './rebuild-stage.js';
import { type BenchReport, cpuSpread, summarizeLive, summarizeLiveCpu, TARGETS } from './report.js';
import { seedStage } from './seed-stage.js';
import { spread } from './stats.js';
import { writeStage } from './write-stage.js';

export interface BenchOptions {
  natsUrl: string;
  databaseUrl: string;
  events: number;
  resources: number;
  seed: number;
  runs: number;
  liveRate: number;
  liveSeconds: number;
  /** Live windows of `liveSeconds` each, one after another on the same processes. */
  liveWindows: number;
  writeSeconds: number;
  projectors: readonly ProjectorSpec[];
  outDir: string;
  /** Writes a V8 CPU profile of every projector process into this folder. */
  profileDir?: string;
  /** Extra node options for every projector process (e.g. `--max-semi-space-size=32`), reported with the run. */
  nodeArgs: string[];
  /** Run the apps' compiled JavaScript, as deployed (needs `npm run build`); else their TS source. */
  compiled: boolean;
  timeoutMs: number;
  log(line: string): void;
}

export const defaultBenchOptions = (log: (line: string) => void): BenchOptions => ({
  natsUrl: 'nats://127.0.0.1:4222',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  events: 1_000_000,
  resources: 20_000,
  seed: 1,
  runs: 3,
  liveRate: 2_000,
  liveSeconds: 30,
  liveWindows: 3,
  writeSeconds: 5,
  projectors: PROJECTORS,
  outDir: 'bench-results',
  compiled: true,
  nodeArgs: [],
  timeoutMs: 30 * 60_000,
  log,
});

/**
 * Seeds an isolated stream and measures, in one run: the consume ceiling, each projector's full
 * rebuild (repeated), live publish → committed latency, and the write side. Deletes what it made.
 */
export const runBench = async (o: BenchOptions): Promise<BenchReport> => {
  const launch = {
    compiled: o.compiled,
    nodeArgs: [...o.nodeArgs, ...(o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`] : [])],
  };
  return withBenchStream({ ...o, launch }, async (ctx) => {
    const stream = ctx.env.EVENT_STREAM!;
    const { nc, store } = ctx;
    const machine = await machineFacts(nc, o.databaseUrl);
    const liveCount = Math.round(o.liveRate * o.liveSeconds);
    const all = generateFleet({
      resources: o.resources,
      events: o.events + liveCount * o.liveWindows,
      seed: o.seed,
    });
    // next() by hand: a for…of that stops early would close `all`, losing the live tail.
    const seeded = (function* () {
      for (let i = 0; i < o.events; i++) {
        const next = all.next();
        if (next.done) return;
        yield next.value;
      }
    })();
    o.log(`seeding ${o.events.toLocaleString()} events into ${stream}`);
    const seed = await seedStage(store, seeded, o.events, o.log);
    const live = [...all]; // the generator continues where the seed stopped
    o.log(`seeded in ${seed.seconds.toFixed(1)} s (${Math.round(seed.rate).toLocaleString()} events/s)`);

    const ceilings: number[] = [];
    for (let run = 0; run < o.runs; run++)
      ceilings.push((await ceilingStage(nc, stream, seed.lastSequence)).rate);
    o.log(`ceiling: ${Math.round(spread(ceilings).median).toLocaleString()} events/s`);

    const projectors = [];
    for (const spec of o.projectors) {
      const runs = [];
      for (let run = 0; run < o.runs; run++) {
        const r = await rebuildOnce(ctx, spec, seed.lastSequence, o.timeoutMs);
        o.log(
          `${spec.app} run ${run + 1}: ${Math.round(r.rate).toLocaleString()} events/s, ${r.peak_rss_mb.toFixed(0)} MB; CPU s: ${fmtCpu(r.cpu)}`,
        );
        runs.push(r);
      }
      projectors.push({
        app: spec.app,
        name: runs[0]!.name,
        rate: spread(runs.map((r) => r.rate)),
        dead_lettered: Math.max(...runs.map((r) => r.dead_lettered)),
        final_checkpoint: Math.min(...runs.map((r) => r.final_checkpoint)),
        seconds: spread(runs.map((r) => r.seconds)),
        peak_rss_mb: spread(runs.map((r) => r.peak_rss_mb)),
        cpu: cpuSpread(runs.map((r) => r.cpu)),
        target_rate: TARGETS[spec.app as keyof typeof TARGETS] ?? 0,
        node_options: appNodeOptions(join(process.cwd(), 'apps', spec.app)),
      });
    }

    o.log(`live: ${o.liveRate}/s, ${o.liveWindows} windows of ${o.liveSeconds} s`);
    const windows = Array.from({ length: o.liveWindows }, (_, w) =>
      live.slice(w * liveCount, (w + 1) * liveCount),
    ).filter((events) => events.length > 0);
    const liveWindows = await liveStage(
      ctx,
      o.projectors,
      windows,
      o.liveRate,
      seed.lastSequence,
      o.timeoutMs,
    );
    o.log('write side');
    const write = await writeStage(ctx, { sequential: 1_000, concurrency: 32, seconds: o.writeSeconds });
    const { log: _log, projectors: specs, profileDir: _profile, ...rest } = o;
    return {
      machine,
      options: { ...rest, projectors: specs.map((s) => s.app) },
      seed: { events: seed.events, seconds: seed.seconds, rate: seed.rate },
      ceiling: spread(ceilings),
      projectors,
      live: summarizeLive(liveWindows),
      live_cpu: summarizeLiveCpu(liveWindows),
      live_windows: liveWindows,
      write,
    };
  });
};
