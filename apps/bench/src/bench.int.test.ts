import { describe, expect, it } from 'vitest';
import { toMarkdown } from './report.js';
import { defaultBenchOptions, runBench } from './run-bench.js';

// A smoke run proving the benchmark still works end to end. It asserts that every read model
// applied the whole stream and parked nothing, never a speed: these machines are shared and noisy.
describe('benchmark smoke run', () => {
  it('seeds, rebuilds every projector, measures live latency and the write side', async () => {
    const lines: string[] = [];
    const options = {
      ...defaultBenchOptions((line: string) => lines.push(line)),
      natsUrl: process.env.NATS_URL || 'nats://127.0.0.1:4222',
      databaseUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
      events: 20_000,
      resources: 400,
      runs: 1,
      liveRate: 500,
      liveSeconds: 2,
      liveWindows: 2,
      writeSeconds: 1,
      outDir: 'bench-results/smoke',
      // The tests run from source; `npm run bench` builds first and runs the compiled apps.
      compiled: false,
    };
    const report = await runBench(options);
    expect(report.seed.events).toBe(20_000);
    expect(report.ceiling.median).toBeGreaterThan(0);
    expect(report.projectors.map((p) => p.app)).toEqual(options.projectors.map((p) => p.app));
    for (const p of report.projectors) {
      expect(p.final_checkpoint, p.app).toBe(20_000);
      expect(p.dead_lettered, p.app).toBe(0);
      // Where a rebuild's cores went: the projector itself, and nats-server delivering to it.
      const cpu = new Map(p.cpu.map((g) => [g.group, g.seconds.median]));
      expect(cpu.get(p.app), `${p.app} rebuild CPU`).toBeGreaterThan(0);
      expect(cpu.has('nats-server'), `nats-server in ${p.app} rebuild`).toBe(true);
    }
    expect(report.live).toHaveLength(options.projectors.length);
    // Every live event of every window reached every projector's model.
    expect(report.live_windows).toHaveLength(2);
    for (const l of report.live) expect(l.samples, l.name).toBe(2_000);
    for (const w of report.live_windows)
      for (const l of w.latency) expect(l.samples, `${l.name} in a window`).toBe(1_000);
    // Where the cores went during the live run: every projector app and the publisher used some.
    const cpu = new Map(report.live_cpu.by_group.map((g) => [g.group, g.seconds.median]));
    for (const p of options.projectors) expect(cpu.get(p.app), p.app).toBeGreaterThan(0);
    expect(cpu.get('bench')).toBeGreaterThan(0);
    expect(cpu.has('nats-server')).toBe(true);
    for (const w of report.write) {
      expect(w.rejected, w.mode).toBe(0);
      expect(w.commands, w.mode).toBeGreaterThan(0);
    }
    expect(toMarkdown(report)).toMatch(/\| sql-projector rebuild \|/);
    expect(toMarkdown(report)).toMatch(
      /CPU seconds in a sql-projector rebuild \(start-up included\): .*sql-projector \d/,
    );
  }, 600_000);
});
