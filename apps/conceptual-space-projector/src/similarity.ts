/**
 * Similarity decays exponentially with distance (Shepard's universal law of generalisation, which
 * Gärdenfors adopts): s = exp(−c·d). `c` sets how fast: at d = 1/c similarity is e⁻¹ ≈ 0.37.
 * @default 1 (d is in z-score units, so one standard deviation away on average is 0.37)
 */
export const DEFAULT_SIMILARITY_DECAY = 1;

/** exp(−c·d); 0 for an unknown (NaN) or infinite distance, 1 at distance 0. */
export const similarity = (distance: number, decay = DEFAULT_SIMILARITY_DECAY): number =>
  !Number.isNaN(distance) && distance !== Number.POSITIVE_INFINITY
    ? Math.exp(-decay * Math.max(0, distance))
    : 0;
