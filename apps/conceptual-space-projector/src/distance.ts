import type { Domains } from './domains.js';

/**
 * Distance between two points of the space (z-scored coordinates; NaN = missing):
 * - within a domain, weighted Euclidean over the dimensions *both* points have, with the weights
 *   renormalised over those dimensions (so a missing dimension neither adds nor hides distance);
 * - across domains, the weighted city-block (L1) sum of the domain distances, again renormalised
 *   over the domains both points have. Gärdenfors: integral dimensions combine Euclidean, separable
 *   domains combine city-block.
 * Both are metrics on complete points (symmetric, zero on identical points, triangle inequality);
 * with missing dimensions they are "the distance on what is known" and need not be.
 */

/** Per-domain distances; NaN where the two points share no dimension of the domain. */
export const domainDistances = (
  space: Domains,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  out: Float64Array = new Float64Array(space.domains.length),
): Float64Array => {
  const dims = space.dimensions;
  for (let d = 0; d < space.domains.length; d++) {
    const { start, end } = space.domains[d]!;
    let sum = 0;
    let weights = 0;
    for (let i = start; i < end; i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (!Number.isNaN(x) && !Number.isNaN(y)) {
        const w = dims[i]!.weight;
        const diff = x - y;
        sum += w * diff * diff;
        weights += w;
      }
    }
    out[d] = weights > 0 ? Math.sqrt(sum / weights) : Number.NaN;
  }
  return out;
};

/** Combines domain distances city-block, weights renormalised over the domains present; NaN if none. */
export const combineDomains = (space: Domains, perDomain: ArrayLike<number>): number => {
  let sum = 0;
  let weights = 0;
  for (let d = 0; d < space.domains.length; d++) {
    const v = perDomain[d]!;
    if (!Number.isNaN(v)) {
      const w = space.domains[d]!.weight;
      sum += w * v;
      weights += w;
    }
  }
  return weights > 0 ? sum / weights : Number.NaN;
};

/** The distance of two points; NaN when they share no dimension at all. */
export const distance = (space: Domains, a: ArrayLike<number>, b: ArrayLike<number>): number =>
  combineDomains(space, domainDistances(space, a, b, scratch(space)));

let scratchBuffer: Float64Array = new Float64Array(8);
const scratch = (space: Domains): Float64Array => {
  if (scratchBuffer.length < space.domains.length) scratchBuffer = new Float64Array(space.domains.length);
  return scratchBuffer;
};
