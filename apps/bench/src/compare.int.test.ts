import { describe, expect, it } from 'vitest';
import { PROJECTORS } from './bench-context.js';
import { compareMarkdown, parseVariant, runCompare } from './compare.js';

// Proves the interleaved comparison works end to end; asserts what each run applied, never a speed.
describe('bench --compare', () => {
  it('rebuilds the projector once per variant and run, each to the end of the stream', async () => {
    const lines: string[] = [];
    const result = await runCompare({
      natsUrl: process.env.NATS_URL || 'nats://127.0.0.1:4222',
      outDir: 'bench-results/smoke',
      events: 3_000,
      resources: 100,
      seed: 1,
      runs: 2,
      app: PROJECTORS.find((p) => p.app === 'metrics-projector')!,
      variants: [parseVariant(''), parseVariant('MAX_BATCH=100 --max-semi-space-size=2')],
      compiled: false,
      timeoutMs: 120_000,
      log: (line) => lines.push(line),
    });
    expect(result.variants.map((v) => v.label)).toEqual([
      'as deployed',
      'MAX_BATCH=100 --max-semi-space-size=2',
    ]);
    for (const v of result.variants) {
      expect(v.runs, v.label).toHaveLength(2);
      for (const r of v.runs) {
        expect(r.final_checkpoint, v.label).toBe(3_000);
        expect(r.dead_lettered, v.label).toBe(0);
      }
    }
    // Turn about, and the first variant does not always go first.
    const order = lines.filter((l) => l.startsWith('run ')).map((l) => l.slice(l.indexOf('[')));
    expect(order).toHaveLength(4);
    expect(order[0]).not.toBe(order[2]);
    expect(compareMarkdown(result)).toMatch(
      /\| MAX_BATCH=100 --max-semi-space-size=2 \| [\d,]+ \([\d,]+–[\d,]+\) \|/,
    );
  }, 300_000);
});
