import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveSeed, Prng } from './prng.js';

const draw = (prng: Prng, n: number) => Array.from({ length: n }, () => prng.uint32());

describe('Prng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    expect(draw(new Prng(7), 100)).toEqual(draw(new Prng(7), 100));
    expect(draw(new Prng(7), 100)).not.toEqual(draw(new Prng(8), 100));
  });

  it('keeps int() within its inclusive bounds and reaches both ends', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 20 }),
        (seed, min, span) => {
          const prng = new Prng(seed);
          const seen = new Set<number>();
          for (let i = 0; i < 400; i++) {
            const v = prng.int(min, min + span);
            expect(v).toBeGreaterThanOrEqual(min);
            expect(v).toBeLessThanOrEqual(min + span);
            seen.add(v);
          }
          expect(seen.has(min) && seen.has(min + span)).toBe(true);
        },
      ),
    );
  });

  it('draws floats in [0, 1) with a plausible mean', () => {
    const prng = new Prng(1);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = prng.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(sum / 10_000).toBeCloseTo(0.5, 1);
  });

  it('picks weighted indices in proportion to their weights', () => {
    const prng = new Prng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 20_000; i++) counts[prng.weighted([1, 0, 3], 4)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.5);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.5);
  });
});

describe('deriveSeed', () => {
  it('gives different seeds for different streams and base seeds, the same for the same', () => {
    expect(deriveSeed(1, 'plan')).toBe(deriveSeed(1, 'plan'));
    expect(deriveSeed(1, 'plan')).not.toBe(deriveSeed(1, 'clock'));
    expect(deriveSeed(1, 'plan')).not.toBe(deriveSeed(2, 'plan'));
    // Seeds differing only above 32 bits still differ.
    expect(deriveSeed(2 ** 40, 'plan')).not.toBe(deriveSeed(0, 'plan'));
  });
});
