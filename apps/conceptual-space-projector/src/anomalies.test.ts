import { describe, expect, it } from 'vitest';
import { calibrateThreshold, explainDistance, quantile, sortedFinite } from './anomalies.js';
import { compileDomains } from './domains.js';

describe('anomaly threshold', () => {
  it('interpolates quantiles and ignores unknown scores', () => {
    const s = sortedFinite([3, Number.NaN, 1, 2, 4]);
    expect(Array.from(s)).toEqual([1, 2, 3, 4]);
    expect(quantile(s, 0.5)).toBe(2.5);
    expect(quantile(s, 1)).toBe(4);
    expect(quantile(new Float64Array(0), 0.5)).toBeNaN();
  });

  it('takes the quantile, but never less than a multiple of the median', () => {
    const scores = Array.from({ length: 100 }, (_, i) => 1 + i / 1000);
    const t = calibrateThreshold(scores, 0.98, 2);
    expect(t.value).toBeCloseTo(2 * t.median, 12);
    const withOutliers = [...scores, 9, 10, 11];
    const t2 = calibrateThreshold(withOutliers, 0.98, 2);
    expect(t2.value).toBe(t2.quantileValue);
    expect(withOutliers.filter((x) => x > t2.value)).toEqual([9, 10, 11]);
    expect(calibrateThreshold([], 0.98, 2).value).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('explainDistance', () => {
  it('orders domains by how unusual they are for the concept and names the dimensions', () => {
    const space = compileDomains();
    const D = space.dimensions.length;
    const perDomain = Float64Array.from(space.domains, (d) => (d.key === 'reliability' ? 3 : 1));
    const typical = Float64Array.from(space.domains, () => 1);
    const pointZ = new Float64Array(D);
    pointZ[space.indexOf('uptime_seconds')!] = -4;
    const reasons = explainDistance(
      space,
      perDomain,
      typical,
      { z: pointZ, coords: new Float64Array(D).fill(10) },
      { z: new Float64Array(D), coords: new Float64Array(D).fill(20) },
    );
    expect(reasons[0]!.domain).toBe('reliability');
    expect(reasons[0]!.ratio).toBe(3);
    expect(reasons[0]!.dimensions[0]).toMatchObject({
      quality: 'uptime_seconds',
      z: -4,
      value: 2 ** 10 - 1,
      prototype: 2 ** 20 - 1,
    });
  });
});
