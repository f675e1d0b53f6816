import type { Transform } from './domains.js';

/**
 * Per-dimension robust normalisation: a transform (log for heavy-tailed scales) and then a z-score
 * against running statistics of the fleet.
 *
 * Drift policy: the statistics describe the *current* population, exactly. Every event that changes a
 * resource's coordinate removes its old value from the Welford accumulators and adds the new one;
 * decommissioning removes it. So nothing needs forgetting: a fleet that moves (new hardware, busier
 * services) moves the statistics with it, and measurement noise is already damped per resource by the
 * moving average. The z-score frame is recomputed from the statistics whenever points are read, so
 * every point and prototype of a query is normalised in one frame (no stored z-scores go stale).
 * Rounding drift of repeated add/remove is bounded by clamping M2 at zero and resetting a dimension
 * exactly when its count returns to zero.
 */

/** Applies a dimension's transform to a raw value; NaN for missing or negative input. */
export const transformValue = (transform: Transform, value: number): number => {
  if (!Number.isFinite(value) || value < 0) return Number.NaN;
  return transform.kind === 'log' ? Math.log2(value + transform.offset) : value;
};

/** The raw value of a transformed coordinate (for showing prototypes in the units of the catalog). */
export const inverseTransform = (transform: Transform, coordinate: number): number =>
  transform.kind === 'log' ? Math.max(0, 2 ** coordinate - transform.offset) : coordinate;

/** Welford accumulators of every dimension, structure-of-arrays. */
export interface RunningStats {
  readonly n: Float64Array;
  readonly mean: Float64Array;
  readonly m2: Float64Array;
}

export const emptyStats = (dimensions: number): RunningStats => ({
  n: new Float64Array(dimensions),
  mean: new Float64Array(dimensions),
  m2: new Float64Array(dimensions),
});

export const copyStats = (s: RunningStats): RunningStats => ({
  n: s.n.slice(),
  mean: s.mean.slice(),
  m2: s.m2.slice(),
});

/** Adds a value to dimension `i` (Welford's update). */
export const statsAdd = (s: RunningStats, i: number, x: number): void => {
  const n = s.n[i]! + 1;
  const delta = x - s.mean[i]!;
  const mean = s.mean[i]! + delta / n;
  s.n[i] = n;
  s.mean[i] = mean;
  s.m2[i] = s.m2[i]! + delta * (x - mean);
};

/** Removes a value previously added to dimension `i` (Welford's update run backwards). */
export const statsRemove = (s: RunningStats, i: number, x: number): void => {
  const n = s.n[i]! - 1;
  if (n <= 0) {
    s.n[i] = 0;
    s.mean[i] = 0;
    s.m2[i] = 0;
    return;
  }
  const mean = s.mean[i]! - (x - s.mean[i]!) / n;
  s.m2[i] = Math.max(0, s.m2[i]! - (x - s.mean[i]!) * (x - mean));
  s.n[i] = n;
  s.mean[i] = mean;
};

/** The z-score frame of a space: a centre and a scale per dimension. */
export interface Frame {
  readonly center: Float64Array;
  readonly scale: Float64Array;
}

/**
 * Smallest scale a dimension may have. A dimension on which the whole fleet agrees (every PDU has one
 * power supply) would otherwise turn a rounding difference into a huge z-score.
 * @default 0.05 (in transformed units: 5% of a doubling for log dimensions)
 */
export const DEFAULT_MIN_SCALE = 0.05;

/** The frame of population statistics: mean and standard deviation, floored at `minScale`. */
export const frameOf = (s: RunningStats, minScale = DEFAULT_MIN_SCALE): Frame => {
  const d = s.n.length;
  const center = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const n = s.n[i]!;
    center[i] = n > 0 ? s.mean[i]! : 0;
    const sd = n > 1 ? Math.sqrt(s.m2[i]! / n) : 0;
    scale[i] = Math.max(sd, minScale);
  }
  return { center, scale };
};

/** Z-scores of a coordinate vector (NaN stays NaN: missing stays missing). */
export const normalize = (frame: Frame, coords: ArrayLike<number>): number[] => {
  const out = new Array<number>(coords.length);
  for (let i = 0; i < coords.length; i++) out[i] = (coords[i]! - frame.center[i]!) / frame.scale[i]!;
  return out;
};

/** Coordinates of a z-score vector. */
export const denormalize = (frame: Frame, z: ArrayLike<number>): number[] => {
  const out = new Array<number>(z.length);
  for (let i = 0; i < z.length; i++) out[i] = z[i]! * frame.scale[i]! + frame.center[i]!;
  return out;
};
