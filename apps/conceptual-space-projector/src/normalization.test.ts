import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  denormalize,
  emptyStats,
  frameOf,
  inverseTransform,
  normalize,
  statsAdd,
  statsRemove,
  transformValue,
} from './normalization.js';

const twoPass = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, variance: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length };
};

describe('running statistics', () => {
  it('match two-pass statistics of the remaining values after adds and removes', () => {
    const value = fc.double({ min: -30, max: 30, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (values, removals) => {
          const s = emptyStats(1);
          const kept = [...values];
          for (const v of values) statsAdd(s, 0, v);
          for (const r of removals) {
            if (kept.length === 0) break;
            const [v] = kept.splice(r % kept.length, 1);
            statsRemove(s, 0, v!);
          }
          if (kept.length === 0) return s.n[0] === 0 && s.mean[0] === 0 && s.m2[0] === 0;
          const { mean, variance } = twoPass(kept);
          return (
            s.n[0] === kept.length &&
            Math.abs(s.mean[0]! - mean) < 1e-7 &&
            Math.abs(s.m2[0]! / kept.length - variance) < 1e-6
          );
        },
      ),
    );
  });

  it('give a frame with population sd, floored so constant dimensions do not explode', () => {
    const s = emptyStats(2);
    for (const v of [1, 2, 3]) statsAdd(s, 0, v);
    for (const v of [5, 5, 5]) statsAdd(s, 1, v);
    const frame = frameOf(s, 0.05);
    expect(frame.center[0]).toBe(2);
    expect(frame.scale[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(frame.scale[1]).toBe(0.05);
    const z = normalize(frame, [3, Number.NaN]);
    expect(z[0]).toBeCloseTo(1 / Math.sqrt(2 / 3), 12);
    expect(z[1]).toBeNaN();
    expect(denormalize(frame, z)[0]).toBeCloseTo(3, 12);
  });
});

describe('transforms', () => {
  it('log-scale heavy-tailed capacities so equal ratios are equal steps', () => {
    const t = { kind: 'log', offset: 1 / 16 } as const;
    const step = (a: number, b: number) => transformValue(t, b) - transformValue(t, a);
    expect(step(64, 128)).toBeCloseTo(step(32, 64), 2);
    expect(transformValue(t, 0)).toBe(-4);
    expect(inverseTransform(t, transformValue(t, 96))).toBeCloseTo(96, 9);
  });

  it('treat negative or non-finite input as unknown', () => {
    expect(transformValue({ kind: 'linear' }, -1)).toBeNaN();
    expect(transformValue({ kind: 'log', offset: 1 }, Number.POSITIVE_INFINITY)).toBeNaN();
  });
});
