import type { Domains } from './domains.js';
import { inverseTransform } from './normalization.js';

/**
 * Anomalies are resources far from every concept: their score is the distance to the nearest
 * prototype. The threshold is calibrated on the fleet itself: the `quantile` of all scores (what
 * counts as "far" here), but never below `medianFactor` × the median score, so a healthy fleet does not
 * flag its top 1% just because a quantile always has something above it.
 */

/** The q-quantile of ascending values (linear interpolation); NaN for none. */
export const quantile = (sorted: ArrayLike<number>, q: number): number => {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
};

/** Ascending copy without NaN. */
export const sortedFinite = (values: Iterable<number>): Float64Array => {
  const out: number[] = [];
  for (const v of values) if (!Number.isNaN(v)) out.push(v);
  return Float64Array.from(out).sort();
};

export interface Threshold {
  readonly value: number;
  readonly quantile: number;
  readonly quantileValue: number;
  readonly median: number;
  readonly medianFactor: number;
}

/** max(quantile_q(scores), medianFactor · median(scores)). */
export const calibrateThreshold = (scores: Iterable<number>, q: number, medianFactor: number): Threshold => {
  const sorted = sortedFinite(scores);
  const quantileValue = quantile(sorted, q);
  const median = quantile(sorted, 0.5);
  const value =
    sorted.length === 0 ? Number.POSITIVE_INFINITY : Math.max(quantileValue, medianFactor * median);
  return { value, quantile: q, quantileValue, median, medianFactor };
};

/** One domain's part in why a resource is far from its nearest concept. */
export interface DomainReason {
  readonly domain: string;
  /** Distance to the nearest prototype within this domain (NaN: not known). */
  readonly distance: number;
  /** Median of this domain's distance among the concept's resources. */
  readonly typical: number;
  /** distance / typical: how unusual this domain is for the concept. */
  readonly ratio: number;
  /** The dimensions that differ most, in catalog units. */
  readonly dimensions: readonly { quality: string; value: number; prototype: number; z: number }[];
}

/**
 * Per-domain breakdown of a point's distance to a prototype, most unusual domain first, with the
 * dimensions that differ most (z = difference in standard deviations of the fleet).
 */
export const explainDistance = (
  space: Domains,
  perDomain: ArrayLike<number>,
  typical: ArrayLike<number>,
  point: { z: ArrayLike<number>; coords: ArrayLike<number> },
  prototype: { z: ArrayLike<number>; coords: ArrayLike<number> },
  topDimensions = 3,
): DomainReason[] =>
  space.domains
    .map((d, k) => {
      const dims: { quality: string; value: number; prototype: number; z: number }[] = [];
      for (let i = d.start; i < d.end; i++) {
        const z = point.z[i]! - prototype.z[i]!;
        if (Number.isNaN(z)) continue;
        const dim = space.dimensions[i]!;
        dims.push({
          quality: dim.quality,
          value: inverseTransform(dim.transform, point.coords[i]!),
          prototype: inverseTransform(dim.transform, prototype.coords[i]!),
          z,
        });
      }
      dims.sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
      const distance = perDomain[k]!;
      const usual = typical[k]!;
      return {
        domain: d.key,
        distance,
        typical: usual,
        ratio: usual > 0 ? distance / usual : distance > 0 ? Number.POSITIVE_INFINITY : 0,
        dimensions: dims.slice(0, topDimensions),
      };
    })
    .filter((r) => !Number.isNaN(r.distance))
    .sort((a, b) => b.ratio - a.ratio);
