import { join } from 'node:path';
import type { InfrastructureEvent } from '@cim/contract';
import { createTestDatabase, type TestDatabase } from '@cim/test-support';
import type { BenchContext, ProjectorSpec } from './bench-context.js';
import { type CpuReading, cpuBetween, cpuSecondsByGroup } from './process-cpu.js';
import { type ProjectorProcess, startProjectorProcess } from './projector-process.js';
import { quantile } from './stats.js';

/** One live window: latency per projector, and where the cores went meanwhile. */
export interface LiveWindow {
  latency: LatencyResult[];
  /** Wall time from the window's first publish to its last commit. */
  seconds: number;
  /** CPU seconds per process group over that time (nats-server, postgresql, each app, the bench). */
  cpu: CpuReading;
}

export interface LatencyResult {
  name: string;
  samples: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
}

/**
 * Live latency: with every projector running and caught up, publishes each window's events at a
 * steady rate and measures, per projector, publish → committed (the projector's progress notice
 * covering it). Windows run one after another on the same processes: on a shared machine one
 * window's p99 says little, the spread of several says how much to trust it.
 */
export const liveStage = async (
  ctx: BenchContext,
  specs: readonly ProjectorSpec[],
  windows: readonly (readonly InfrastructureEvent[])[],
  ratePerSecond: number,
  caughtUpTo: number,
  timeoutMs: number,
): Promise<LiveWindow[]> => {
  ctx.tracker.clear();
  const dbs: TestDatabase[] = [];
  const procs: ProjectorProcess[] = [];
  try {
    for (const spec of specs) {
      const db = spec.needsDatabase ? await createTestDatabase('bench_live') : undefined;
      if (db) dbs.push(db);
      const env = { ...ctx.env, METRICS_PORT: '0', ...(db && { DATABASE_URL: db.url }) };
      procs.push(
        startProjectorProcess(
          process.cwd(),
          spec.app,
          env,
          join(ctx.logDir, `${spec.app}.live.log`),
          ctx.launch,
        ),
      );
    }
    ctx.log(`  live: waiting for ${specs.length} projectors to catch up to ${caughtUpTo.toLocaleString()}`);
    await ctx.tracker.waitFor(
      () =>
        ctx.tracker.names().length === specs.length &&
        ctx.tracker.names().every((n) => ctx.tracker.checkpointOf(n) >= caughtUpTo),
      timeoutMs,
      'every projector to catch up before the live run',
    );
    const results: LiveWindow[] = [];
    for (const [w, events] of windows.entries()) {
      results.push(await liveWindow(ctx, events, ratePerSecond, timeoutMs));
      const p99s = results.at(-1)!.latency.map((l) => `${l.name} ${l.p99_ms}`);
      ctx.log(`  live window ${w + 1}/${windows.length}: p99 (ms) ${p99s.join(', ')}`);
    }
    return results;
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await Promise.all(dbs.map((d) => d.drop()));
  }
};

const liveWindow = async (
  ctx: BenchContext,
  events: readonly InfrastructureEvent[],
  ratePerSecond: number,
  timeoutMs: number,
): Promise<LiveWindow> => {
  const publishedAt = new Map<number, number>();
  const pending: Promise<unknown>[] = [];
  const cpuBefore = await cpuSecondsByGroup();
  const started = Date.now();
  for (let i = 0; i < events.length; i++) {
    const due = started + (i * 1000) / ratePerSecond;
    const wait = due - Date.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t0 = Date.now();
    pending.push(
      ctx.store.append(events[i]!).then((r) => {
        if (r.ok) publishedAt.set(r.sequence, t0);
      }),
    );
  }
  await Promise.all(pending);
  const final = Math.max(...publishedAt.keys());
  await ctx.tracker.waitFor(
    () => ctx.tracker.names().every((n) => ctx.tracker.checkpointOf(n) >= final),
    timeoutMs,
    'every projector to commit the live events',
  );
  const seconds = (Date.now() - started) / 1000;
  const cpu = cpuBetween(cpuBefore, await cpuSecondsByGroup());
  const latency = ctx.tracker
    .names()
    .map((name) => latencies(name, ctx.tracker.notices.get(name) ?? [], publishedAt));
  return { latency, seconds, cpu };
};

const latencies = (
  name: string,
  notices: readonly { checkpoint: number; at: number }[],
  publishedAt: ReadonlyMap<number, number>,
): LatencyResult => {
  const sequences = [...publishedAt.keys()].sort((a, b) => a - b);
  const samples: number[] = [];
  let n = 0;
  for (const seq of sequences) {
    while (n < notices.length && notices[n]!.checkpoint < seq) n++;
    const notice = notices[n];
    if (notice) samples.push(Math.max(0, notice.at - publishedAt.get(seq)!));
  }
  samples.sort((a, b) => a - b);
  return {
    name,
    samples: samples.length,
    p50_ms: quantile(samples, 0.5),
    p99_ms: quantile(samples, 0.99),
    max_ms: samples.at(-1) ?? Number.NaN,
  };
};
