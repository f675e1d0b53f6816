import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluation.js';
import { formatEvaluation } from './evaluation-format.js';
import { loadInstanceTypes } from './instance-types.js';

describe('evaluate', () => {
  it('ships a valid labelled set of published instance types, each with its source', () => {
    const types = loadInstanceTypes();
    expect(types.length).toBeGreaterThan(100);
    expect(new Set(types.map((t) => t.name)).size).toBe(types.length);
    expect(types.every((t) => t.source.startsWith('https://'))).toBe(true);
  });

  it('classifies a generated fleet well, finds planted anomalies and names inseparable published types', () => {
    const report = evaluate({ seed: 3, resources: 800 });
    expect(report.fleet.accuracy).toBeGreaterThan(0.85);
    expect(report.anomalies.precision).toBeGreaterThan(0.7);
    expect(report.anomalies.recall).toBeGreaterThan(0.4);
    expect(report.instanceTypes.total).toBe(loadInstanceTypes().length);
    // A large VM and the bare-metal server of its family publish the same cores, memory and network.
    expect(report.instanceTypes.inseparable).toContainEqual(
      expect.objectContaining({ a: 'm5.24xlarge (virtual_machine)', b: 'm5.metal (physical_server)' }),
    );
    const text = formatEvaluation(report);
    expect(text).toContain('leave-one-out');
    expect(text).toContain('precision');
  });
});
