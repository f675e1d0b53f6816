import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineDomains, distance, domainDistances } from './distance.js';
import { compileDomains } from './domains.js';

const space = compileDomains();
const D = space.dimensions.length;
const EPS = 1e-9;

const coordinate = fc.double({ min: -50, max: 50, noNaN: true });
const complete = fc.array(coordinate, { minLength: D, maxLength: D });
const partial = fc.array(fc.option(coordinate, { nil: Number.NaN, freq: 3 }), { minLength: D, maxLength: D });

describe('distance', () => {
  it('is symmetric, with or without missing dimensions', () => {
    fc.assert(
      fc.property(partial, partial, (a, b) => Object.is(distance(space, a, b), distance(space, b, a))),
    );
  });

  it('is zero from a point to itself (when anything is known about it)', () => {
    fc.assert(
      fc.property(partial, (a) => {
        const d = distance(space, a, a);
        return a.every((x) => Number.isNaN(x)) ? Number.isNaN(d) : d === 0;
      }),
    );
  });

  it('is positive between different complete points', () => {
    fc.assert(
      fc.property(complete, complete, (a, b) => a.every((x, i) => x === b[i]) || distance(space, a, b) > 0),
    );
  });

  it('satisfies the triangle inequality within each domain for complete points (weighted Euclidean)', () => {
    fc.assert(
      fc.property(complete, complete, complete, (a, b, c) => {
        const ab = domainDistances(space, a, b);
        const bc = domainDistances(space, b, c);
        const ac = domainDistances(space, a, c);
        return ac.every((x, k) => x <= ab[k]! + bc[k]! + EPS);
      }),
    );
  });

  it('satisfies the triangle inequality across domains for complete points (city-block combination)', () => {
    fc.assert(
      fc.property(
        complete,
        complete,
        complete,
        (a, b, c) => distance(space, a, c) <= distance(space, a, b) + distance(space, b, c) + EPS,
      ),
    );
  });

  it('renormalises weights over the dimensions both points have', () => {
    const a = new Float64Array(D).fill(0);
    const b = new Float64Array(D).fill(0);
    const cpu = space.indexOf('cpu_cores')!;
    const memory = space.indexOf('memory_mb')!;
    b[cpu] = 2;
    b[memory] = 2;
    const capacity = space.domains.findIndex((d) => d.key === 'capacity');
    // Both differ by 2 on 2 of 5 equally weighted dimensions: sqrt((4 + 4) / 5).
    expect(domainDistances(space, a, b)[capacity]).toBeCloseTo(Math.sqrt(8 / 5), 12);
    // Unknown storage, bandwidth and connections: only cores and memory count, sqrt((4 + 4) / 2) = 2.
    for (const q of ['storage_gb', 'network_bandwidth_mbps', 'connection_limit'] as const)
      a[space.indexOf(q)!] = Number.NaN;
    expect(domainDistances(space, a, b)[capacity]).toBeCloseTo(2, 12);
  });

  it('leaves out domains the two points share nothing of, and renormalises the domain weights', () => {
    const a = new Float64Array(D).fill(Number.NaN);
    const b = new Float64Array(D).fill(Number.NaN);
    a[space.indexOf('cpu_cores')!] = 1;
    b[space.indexOf('cpu_cores')!] = 4;
    a[space.indexOf('error_rate')!] = 0;
    expect(distance(space, a, b)).toBe(3);
    const per = domainDistances(space, a, b);
    expect(per.filter((x) => !Number.isNaN(x))).toHaveLength(1);
    expect(combineDomains(space, per)).toBe(3);
  });

  it('need not satisfy the triangle inequality once dimensions are missing (documented limitation)', () => {
    const one = compileDomains([
      {
        key: 'd',
        label: 'D',
        weight: 1,
        dimensions: [
          { quality: 'cpu_cores', weight: 1, transform: { kind: 'linear' } },
          { quality: 'memory_mb', weight: 1, transform: { kind: 'linear' } },
        ],
      },
    ]);
    const a = [0, Number.NaN];
    const b = [0, 10];
    const c = [10, 10];
    expect(distance(one, a, c)).toBeGreaterThan(distance(one, a, b) + distance(one, b, c));
  });
});
