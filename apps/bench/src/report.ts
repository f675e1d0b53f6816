import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LiveWindow } from './live-stage.js';
import type { MachineFacts } from './machine-facts.js';
import type { CpuReading } from './process-cpu.js';
import { fmt, fmtSpread, type Spread, spread } from './stats.js';
import type { WriteResult } from './write-stage.js';

export interface ProjectorFigures {
  app: string;
  name: string;
  rate: Spread;
  seconds: Spread;
  peak_rss_mb: Spread;
  target_rate: number;
  /** The app's own node options (its package.json `cim.nodeOptions`), as every launcher runs it. */
  node_options: string[];
  /** Correctness of the runs: the lowest checkpoint reached and the most events parked. */
  final_checkpoint: number;
  dead_lettered: number;
  /** CPU seconds per process group over a rebuild (start-up included), over the runs. */
  cpu: { group: string; seconds: Spread }[];
}

export interface BenchReport {
  machine: MachineFacts;
  options: Record<string, unknown>;
  seed: { events: number; seconds: number; rate: number };
  ceiling: Spread;
  projectors: ProjectorFigures[];
  /** Per projector, over the live windows. */
  live: LiveSummary[];
  /** CPU seconds per process group in a live window (`seconds` of wall time), over the windows. */
  live_cpu: { seconds: Spread; by_group: { group: string; seconds: Spread }[] };
  live_windows: LiveWindow[];
  write: WriteResult[];
}

/** A projector's live latency over the windows: each figure is the spread of the windows' own. */
export interface LiveSummary {
  name: string;
  samples: number;
  p50_ms: Spread;
  p99_ms: Spread;
  max_ms: Spread;
}

export const summarizeLive = (windows: readonly LiveWindow[]): LiveSummary[] => {
  const names = [...new Set(windows.flatMap((w) => w.latency.map((l) => l.name)))];
  return names.map((name) => {
    const of = windows.flatMap((w) => w.latency.filter((l) => l.name === name));
    return {
      name,
      samples: of.reduce((n, l) => n + l.samples, 0),
      p50_ms: spread(of.map((l) => l.p50_ms)),
      p99_ms: spread(of.map((l) => l.p99_ms)),
      max_ms: spread(of.map((l) => l.max_ms)),
    };
  });
};

/** CPU seconds per group over several measured spans, largest median first. */
export const cpuSpread = (readings: readonly CpuReading[]): { group: string; seconds: Spread }[] => {
  const groups = [...new Set(readings.flatMap((r) => r.map((c) => c.group)))];
  return groups
    .map((group) => ({
      group,
      seconds: spread(readings.map((r) => r.find((c) => c.group === group)?.seconds ?? 0)),
    }))
    .sort((a, b) => b.seconds.median - a.seconds.median);
};

/** Groups as `group median (min–max), …`, leaving out those that used under a tenth of a second. */
const fmtCpuSpread = (groups: readonly { group: string; seconds: Spread }[]): string =>
  groups
    .filter((g) => g.seconds.median >= 0.1)
    .map((g) => `${g.group} ${fmtSpread(g.seconds, 1)}`)
    .join(', ');

export const summarizeLiveCpu = (windows: readonly LiveWindow[]): BenchReport['live_cpu'] => ({
  seconds: spread(windows.map((w) => w.seconds)),
  by_group: cpuSpread(windows.map((w) => w.cpu)),
});

/** Targets from the issue; a miss is shown, never hidden. */
export const TARGETS = {
  'sql-projector': 60_000,
  'metrics-projector': 100_000,
  'conceptual-space-projector': 40_000,
};

const mark = (ok: boolean) => (ok ? 'yes' : 'NO');

const withOptions = (projectors: readonly ProjectorFigures[]): string[] => {
  const own = projectors.filter((p) => p.node_options.length > 0);
  if (own.length === 0) return [];
  return [`Apps' own node options: ${own.map((p) => `${p.app} ${p.node_options.join(' ')}`).join('; ')}.`];
};

/** The report as a Markdown document (also what the terminal shows). */
export const toMarkdown = (r: BenchReport): string => {
  const m = r.machine;
  const lines = [
    `## Benchmark ${m.date.slice(0, 10)}`,
    '',
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memory_gib} GiB; Node ${m.node}; nats-server ${m.nats_server}; PostgreSQL ${m.postgresql}.`,
    `Stream: ${fmt(r.seed.events)} events seeded at ${fmt(r.seed.rate)} events/s. Median of runs, (min–max) where repeated.`,
    `Apps ran from ${r.options.compiled === false ? 'their TypeScript source (tsx)' : 'their compiled JavaScript (npm run build), as deployed'}${Array.isArray(r.options.nodeArgs) && r.options.nodeArgs.length > 0 ? `, with node ${r.options.nodeArgs.join(' ')}` : ''}.`,
    ...withOptions(r.projectors),
    '',
    '| stage | events/s | vs ceiling | time (s) | peak RSS (MB) | target | met |',
    '|---|---|---|---|---|---|---|',
    `| ceiling: JetStream consume + JSON.parse | ${fmtSpread(r.ceiling)} | 100% | | | | |`,
    ...r.projectors.map(
      (p) =>
        `| ${p.app} rebuild | ${fmtSpread(p.rate)} | ${fmt((100 * p.rate.median) / r.ceiling.median)}% | ${fmtSpread(p.seconds, 1)} | ${fmtSpread(p.peak_rss_mb)} | ≥ ${fmt(p.target_rate)}/s, ≤ 250 MB | ${mark(p.rate.median >= p.target_rate && p.peak_rss_mb.median <= 250)} |`,
    ),
    '',
    ...r.projectors.map(
      (p) => `CPU seconds in a ${p.app} rebuild (start-up included): ${fmtCpuSpread(p.cpu)}.`,
    ),
    '',
    `| live: publish → committed, ${r.live_windows.length} window${r.live_windows.length === 1 ? '' : 's'} (median of the windows' own, min–max) | samples | p50 (ms) | p99 (ms) | max (ms) | p99 ≤ 20 ms |`,
    '|---|---|---|---|---|---|',
    ...r.live.map(
      (l) =>
        `| ${l.name} | ${fmt(l.samples)} | ${fmtSpread(l.p50_ms)} | ${fmtSpread(l.p99_ms)} | ${fmtSpread(l.max_ms)} | ${mark(l.p99_ms.median <= 20)} |`,
    ),
    '',
    `CPU seconds in a live window (${fmtSpread(r.live_cpu.seconds, 1)} s × ${m.cores} cores available): ${fmtCpuSpread(r.live_cpu.by_group)}.`,
    '',
    '| write side: compute.register through the command service | commands | commands/s | rejected | ≥ 5,000/s |',
    '|---|---|---|---|---|',
    ...r.write.map(
      (w) =>
        // The target is for concurrent requesters; one at a time is the round trip's own bound.
        `| ${w.mode} | ${fmt(w.commands)} | ${fmt(w.rate)} | ${fmt(w.rejected)} | ${w.mode === 'sequential' ? '' : mark(w.rate >= 5_000)} |`,
    ),
    '',
  ];
  return lines.join('\n');
};

/** Writes `<dir>/<timestamp>.json`, `.md` and `latest.md`; returns the Markdown path. */
export const writeReport = async (dir: string, r: BenchReport): Promise<string> => {
  await mkdir(dir, { recursive: true });
  const stamp = r.machine.date.replaceAll(':', '-');
  const md = toMarkdown(r);
  await writeFile(join(dir, `${stamp}.json`), `${JSON.stringify(r, null, 2)}\n`);
  await writeFile(join(dir, `${stamp}.md`), md);
  await writeFile(join(dir, 'latest.md'), md);
  return join(dir, `${stamp}.md`);
};
