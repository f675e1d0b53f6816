import { join } from 'node:path';
import { commandSubject } from '@cim/contract';
import { uniqueName } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import type { BenchContext } from './bench-context.js';
import { startProjectorProcess } from './projector-process.js';

export interface WriteResult {
  mode: string;
  commands: number;
  seconds: number;
  rate: number;
  rejected: number;
}

/**
 * Write side: `compute.register` commands (distinct hostnames) through a real command-service
 * process, each appended with optimistic concurrency; sequential, then with concurrent requesters.
 */
export const writeStage = async (
  ctx: BenchContext,
  options: { sequential: number; concurrency: number; seconds: number },
): Promise<WriteResult[]> => {
  const root = uniqueName('benchcmd');
  const stream = root.toUpperCase();
  const prefix = `${root}_cmd`;
  const proc = startProjectorProcess(
    process.cwd(),
    'command-service',
    { ...ctx.env, EVENT_STREAM: stream, SUBJECT_ROOT: root, COMMAND_PREFIX: prefix },
    join(ctx.logDir, 'command-service.log'),
    ctx.launch,
  );
  let n = 0;
  const register = async (): Promise<boolean> => {
    const body = { payload: { hostname: `bench-${n++}`, resource_type: 'virtual_machine', cpu_cores: 2 } };
    const reply = await ctx.nc.request(commandSubject('compute.register', prefix), JSON.stringify(body), {
      timeout: 10_000,
    });
    return (reply.json() as { ok: boolean }).ok;
  };
  try {
    for (let i = 0; ; i++) {
      try {
        await register();
        break;
      } catch (e) {
        if (i > 100) throw new Error(`the command service did not answer: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const results: WriteResult[] = [];
    let started = performance.now();
    let rejected = 0;
    for (let i = 0; i < options.sequential; i++) if (!(await register())) rejected++;
    let seconds = (performance.now() - started) / 1000;
    results.push({
      mode: 'sequential',
      commands: options.sequential,
      seconds,
      rate: options.sequential / seconds,
      rejected,
    });

    started = performance.now();
    const until = started + options.seconds * 1000;
    let done = 0;
    rejected = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < until) {
          if (await register()) done++;
          else rejected++;
        }
      }),
    );
    seconds = (performance.now() - started) / 1000;
    results.push({
      mode: `${options.concurrency} concurrent`,
      commands: done,
      seconds,
      rate: done / seconds,
      rejected,
    });
    return results;
  } finally {
    await proc.stop();
    const jsm = await jetstreamManager(ctx.nc);
    await jsm.streams.delete(stream).catch(() => {});
  }
};
