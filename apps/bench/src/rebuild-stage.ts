import { join } from 'node:path';
import { type ProjectorStatus, requestAdmin } from '@cim/projection-kit';
import { createTestDatabase } from '@cim/test-support';
import type { BenchContext, ProjectorSpec } from './bench-context.js';
import { type CpuReading, cpuBetween, cpuSecondsByGroup } from './process-cpu.js';
import { peakRssMb } from './process-memory.js';
import { startProjectorProcess } from './projector-process.js';

export interface RebuildRun {
  name: string;
  events: number;
  /** From the first to the last commit: the replay itself. */
  seconds: number;
  rate: number;
  /** From process start to caught up, start-up included. */
  total_seconds: number;
  peak_rss_mb: number;
  /** From the projector's own status once caught up: what it applied and what it parked. */
  final_checkpoint: number;
  dead_lettered: number;
  /** CPU seconds per process group from process start to caught up: where the replay's cores went. */
  cpu: CpuReading;
}

/**
 * One full rebuild: a fresh store (new database, or the in-memory model of a new process) replays
 * the stream from sequence 1 through the projector's own durable consumer until it reaches `last`.
 */
export const rebuildOnce = async (
  ctx: BenchContext,
  spec: ProjectorSpec,
  last: number,
  timeoutMs: number,
): Promise<RebuildRun> => {
  const db = spec.needsDatabase ? await createTestDatabase('bench') : undefined;
  ctx.tracker.clear();
  const cpuBefore = await cpuSecondsByGroup();
  const started = performance.now();
  const proc = startProjectorProcess(
    process.cwd(),
    spec.app,
    { ...ctx.env, METRICS_PORT: '0', ...(db && { DATABASE_URL: db.url }) },
    join(ctx.logDir, `${spec.app}.log`),
    ctx.launch,
  );
  try {
    const caughtUp = ctx.tracker.waitFor(
      () => ctx.tracker.names().some((n) => ctx.tracker.checkpointOf(n) >= last),
      timeoutMs,
      `${spec.app} to reach sequence ${last}`,
    );
    const crashed = proc.exited.then((code) => {
      throw new Error(
        `${spec.app} exited (${code}) before catching up; see ${join(ctx.logDir, `${spec.app}.log`)}`,
      );
    });
    await Promise.race([caughtUp, crashed]);
    const total = (performance.now() - started) / 1000;
    const cpu = cpuBetween(cpuBefore, await cpuSecondsByGroup());
    const name = ctx.tracker.names()[0]!;
    const notices = ctx.tracker.notices.get(name)!;
    const first = notices[0]!;
    const final = notices.at(-1)!;
    const seconds = Math.max((final.at - first.at) / 1000, 1e-3);
    const events = final.checkpoint - first.checkpoint;
    const rss = await peakRssMb(proc.child.pid ?? -1);
    const status = await requestAdmin<ProjectorStatus>(
      ctx.nc,
      name,
      'status',
      {},
      { prefix: ctx.env.ADMIN_PREFIX },
    );
    if (!status.ok) throw new Error(`${spec.app} status: ${status.error.message}`);
    return {
      name,
      events,
      seconds,
      rate: events / seconds,
      total_seconds: total,
      peak_rss_mb: rss,
      final_checkpoint: status.result.checkpoint,
      dead_lettered: status.result.dead_lettered,
      cpu,
    };
  } finally {
    await proc.stop();
    await db?.drop();
  }
};
