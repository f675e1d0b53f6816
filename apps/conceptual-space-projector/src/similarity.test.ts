import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { similarity } from './similarity.js';

describe('similarity', () => {
  it('is 1 at distance 0 and e^-1 at distance 1/c', () => {
    expect(similarity(0)).toBe(1);
    expect(similarity(0.5, 2)).toBeCloseTo(Math.exp(-1), 15);
  });

  it('falls strictly as distance grows (where exp does not underflow) and never rises', () => {
    const d = fc.double({ min: 0, max: 700, noNaN: true });
    const c = fc.double({ min: 0.01, max: 1, noNaN: true });
    fc.assert(
      fc.property(d, d, c, (x, y, decay) => {
        const [near, far] = x < y ? [x, y] : [y, x];
        const sn = similarity(near, decay);
        const sf = similarity(far, decay);
        return near === far ? sn === sf : sn >= sf && (sf === 0 || sn > sf || sn - sf === 0);
      }),
    );
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 30, noNaN: true }),
        fc.double({ min: 1e-3, max: 30, noNaN: true }),
        (x, gap) => similarity(x) > similarity(x + gap),
      ),
    );
  });

  it('is 0 for unknown or infinite distances and stays in [0, 1]', () => {
    expect(similarity(Number.NaN)).toBe(0);
    expect(similarity(Number.POSITIVE_INFINITY)).toBe(0);
    fc.assert(fc.property(fc.double({ noNaN: true }), (x) => similarity(x) >= 0 && similarity(x) <= 1));
  });
});
