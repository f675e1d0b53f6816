import { readdir, readFile } from 'node:fs/promises';

/** Linux's clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on every mainstream build). */
const TICKS_PER_SECOND = 100;

/** Which part of the run a process is, from its command line; undefined for what the run did not start. */
const groupOf = (pid: number, cmdline: string): string | undefined => {
  if (pid === process.pid) return 'bench';
  if (cmdline.includes('nats-server')) return 'nats-server';
  // Backends retitle themselves ('postgres: 15/main: …'); the postmaster keeps its path.
  if (/^postgres:|\/bin\/postgres /.test(cmdline)) return 'postgresql';
  return /\/apps\/([^/]+)\/(?:dist|src)\/main\.[jt]s/.exec(cmdline)?.[1];
};

/**
 * CPU time (user + system, seconds) used so far by each group of processes: nats-server, every
 * PostgreSQL process, each projector app, the bench itself. Differences of two readings say where
 * the cores went between them. Processes that end between the readings are missed; empty off Linux.
 */
export const cpuSecondsByGroup = async (): Promise<Map<string, number>> => {
  const totals = new Map<string, number>();
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((d) => /^\d+$/.test(d));
  await Promise.all(
    pids.map(async (dir) => {
      try {
        const [stat, cmdline] = await Promise.all([
          readFile(`/proc/${dir}/stat`, 'utf8'),
          readFile(`/proc/${dir}/cmdline`, 'utf8'),
        ]);
        const group = groupOf(Number(dir), cmdline.replaceAll('\0', ' '));
        if (!group) return;
        // Fields after the parenthesised command: state is field 3, utime 14 and stime 15.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]);
        totals.set(group, (totals.get(group) ?? 0) + ticks / TICKS_PER_SECOND);
      } catch {
        // The process ended while being read.
      }
    }),
  );
  return totals;
};

/** CPU seconds per group over a span, largest first. */
export type CpuReading = { group: string; seconds: number }[];

/** CPU seconds per group between two readings, largest first. */
export const cpuBetween = (
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): CpuReading =>
  [...after]
    .map(([group, seconds]) => ({ group, seconds: seconds - (before.get(group) ?? 0) }))
    .sort((a, b) => b.seconds - a.seconds);

/** One reading as `group seconds, …` (the groups that used at least a tenth of a second). */
export const fmtCpu = (reading: CpuReading): string =>
  reading
    .filter((c) => c.seconds >= 0.1)
    .map((c) => `${c.group} ${c.seconds.toFixed(1)}`)
    .join(', ');
