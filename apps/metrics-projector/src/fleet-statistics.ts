/** Quantiles exported for every fleet-wide quality, as label values. */
export const FLEET_QUANTILES = ['0.5', '0.9', '0.99'] as const;

/** Index of the nearest-rank `q` quantile among `n` values: `ceil(q·n) − 1`, at least 0. */
export const rankIndex = (q: number, n: number): number => Math.max(0, Math.ceil(q * n) - 1);

/**
 * Nearest-rank quantile of ascending `sorted` values: the smallest value with at least `q · n`
 * values at or below it (`sorted[ceil(q·n) − 1]`). Always a reported value, never an interpolation,
 * so the exported figure is one a resource really reported.
 */
export const nearestRank = (sorted: Float64Array, q: number): number => sorted[rankIndex(q, sorted.length)]!;

/**
 * Moves the k-th smallest value of `a[lo..hi]` to index k (Hoare's selection, median-of-three
 * pivot), leaving smaller values before it and larger after. O(n) on average, against O(n log n)
 * for a sort: a scrape of 100k+ resources needs three ranks per quality, not the order of all.
 */
const select = (a: Float64Array, k: number, lo: number, hi: number): void => {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
};

/** Count, mean and {@link FLEET_QUANTILES} of the values; undefined when there are none. */
export interface FleetSummary {
  count: number;
  mean: number;
  quantiles: ReadonlyArray<readonly [label: string, value: number]>;
}

/** Summarises `values`, which it reorders in place (and which must not contain NaN). */
export const summarize = (values: Float64Array): FleetSummary | undefined => {
  const n = values.length;
  if (n === 0) return undefined;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  // Ascending ranks: each selection leaves the part above its rank for the next one.
  let lo = 0;
  const quantiles = FLEET_QUANTILES.map((q) => {
    const k = rankIndex(Number(q), n);
    select(values, k, lo, n - 1);
    lo = k;
    return [q, values[k]!] as const;
  });
  return { count: n, mean: sum / n, quantiles };
};
