import { describe, expect, it } from 'vitest';
import { nearestRank } from './fleet-statistics.js';
import { parseStep } from './parse-step.js';

describe('parseStep', () => {
  it('reads Prometheus-style durations', () => {
    expect(parseStep('1m')).toBe(60_000);
    expect(parseStep('30s')).toBe(30_000);
    expect(parseStep('1h30m')).toBe(5_400_000);
    expect(parseStep('250ms')).toBe(250);
  });
  it('names what it cannot read', () => {
    for (const bad of ['', '1', 'm', '1x', '0s', '1m junk'])
      expect(() => parseStep(bad)).toThrow(/invalid duration/);
  });
});

describe('nearestRank', () => {
  it('is the smallest value with at least q·n values at or below it', () => {
    const sorted = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(nearestRank(sorted, 0.5)).toBe(5);
    expect(nearestRank(sorted, 0.9)).toBe(9);
    expect(nearestRank(sorted, 0.99)).toBe(10);
    expect(nearestRank(Float64Array.from([7]), 0.5)).toBe(7);
  });
});
