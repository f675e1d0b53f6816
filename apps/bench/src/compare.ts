import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateFleet } from '@cim/fleet-generator';
import type { BenchContext, ProjectorSpec } from './bench-context.js';
import { withBenchStream } from './bench-stream.js';
import { fmtCpu } from './process-cpu.js';
import { type RebuildRun, rebuildOnce } from './rebuild-stage.js';
import { seedStage } from './seed-stage.js';
import { fmt, fmtSpread, type Spread, spread } from './stats.js';

/**
 * Interleaved A/B runs of one projector's full rebuild: on a shared machine whose speed drifts by
 * ±25% within minutes, only variants run turn about on the same stream can be told apart.
 */

/** One way of running the app: extra environment and node options on top of its own. */
export interface Variant {
  label: string;
  env: Record<string, string>;
  nodeArgs: string[];
}

/**
 * Reads a variant: space-separated `NAME=value` (environment) and `--option[=value]` (node) tokens;
 * an empty text is the app as deployed.
 */
export const parseVariant = (text: string): Variant => {
  const env: Record<string, string> = {};
  const nodeArgs: string[] = [];
  for (const token of text.split(/\s+/).filter(Boolean)) {
    if (token.startsWith('--')) nodeArgs.push(token);
    else if (/^[A-Z_][A-Z0-9_]*=/.test(token)) {
      const at = token.indexOf('=');
      env[token.slice(0, at)] = token.slice(at + 1);
    } else
      throw new Error(
        `variant '${text}': '${token}' is neither NAME=value (environment) nor --option (node option)`,
      );
  }
  return { label: text.trim() || 'as deployed', env, nodeArgs };
};

export interface CompareOptions {
  natsUrl: string;
  outDir: string;
  events: number;
  resources: number;
  seed: number;
  runs: number;
  app: ProjectorSpec;
  variants: readonly Variant[];
  compiled: boolean;
  timeoutMs: number;
  log(line: string): void;
}

export interface VariantFigures {
  label: string;
  rate: Spread;
  peak_rss_mb: Spread;
  runs: RebuildRun[];
}

export interface CompareResult {
  app: string;
  events: number;
  runs: number;
  variants: VariantFigures[];
}

const withVariant = (ctx: BenchContext, v: Variant): BenchContext => ({
  ...ctx,
  env: { ...ctx.env, ...v.env },
  launch: { ...ctx.launch, nodeArgs: [...ctx.launch.nodeArgs, ...v.nodeArgs] },
});

/** Seeds one stream, then rebuilds the app `runs` times per variant, turn about (order rotated per run). */
export const runCompare = async (o: CompareOptions): Promise<CompareResult> => {
  if (o.variants.length < 2) throw new Error('compare needs at least two variants');
  return withBenchStream({ ...o, launch: { compiled: o.compiled, nodeArgs: [] } }, async (ctx) => {
    o.log(`seeding ${fmt(o.events)} events`);
    const fleet = generateFleet({ resources: o.resources, events: o.events, seed: o.seed });
    const seed = await seedStage(ctx.store, fleet, o.events, o.log);
    const runs = o.variants.map(() => [] as RebuildRun[]);
    for (let run = 0; run < o.runs; run++) {
      for (let k = 0; k < o.variants.length; k++) {
        const i = (k + run) % o.variants.length; // who goes first changes every run
        const v = o.variants[i]!;
        const r = await rebuildOnce(withVariant(ctx, v), o.app, seed.lastSequence, o.timeoutMs);
        if (r.final_checkpoint < seed.lastSequence || r.dead_lettered > 0)
          throw new Error(
            `${o.app.app} [${v.label}] stopped at ${r.final_checkpoint} of ${seed.lastSequence} with ${r.dead_lettered} dead-lettered`,
          );
        o.log(
          `run ${run + 1}/${o.runs} [${v.label}]: ${fmt(r.rate)} events/s, ${fmt(r.peak_rss_mb)} MB; CPU s: ${fmtCpu(r.cpu)}`,
        );
        runs[i]!.push(r);
      }
    }
    return {
      app: o.app.app,
      events: seed.events,
      runs: o.runs,
      variants: o.variants.map((v, i) => ({
        label: v.label,
        rate: spread(runs[i]!.map((r) => r.rate)),
        peak_rss_mb: spread(runs[i]!.map((r) => r.peak_rss_mb)),
        runs: runs[i]!,
      })),
    };
  });
};

export const compareMarkdown = (r: CompareResult): string =>
  [
    `${r.app}: full rebuild of ${fmt(r.events)} events, ${r.runs} interleaved runs per variant; median (min–max)`,
    '',
    '| variant | events/s | vs first | peak RSS (MB) | each run (events/s) |',
    '|---|---|---|---|---|',
    ...r.variants.map(
      (v) =>
        `| ${v.label} | ${fmtSpread(v.rate)} | ${fmt((100 * v.rate.median) / r.variants[0]!.rate.median)}% | ${fmtSpread(v.peak_rss_mb)} | ${v.runs.map((x) => fmt(x.rate)).join(', ')} |`,
    ),
    '',
  ].join('\n');

/** Writes `<dir>/compare-<app>-<timestamp>.json` and `.md`; returns the Markdown path. */
export const writeCompare = async (dir: string, r: CompareResult): Promise<string> => {
  await mkdir(dir, { recursive: true });
  const base = join(dir, `compare-${r.app}-${new Date().toISOString().replaceAll(':', '-')}`);
  await writeFile(`${base}.json`, `${JSON.stringify(r, null, 2)}\n`);
  await writeFile(`${base}.md`, compareMarkdown(r));
  return `${base}.md`;
};
