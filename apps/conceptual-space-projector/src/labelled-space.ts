import { memberships, prototypeOf, seedCoordinates } from './concepts.js';
import { distance } from './distance.js';
import { emptyStats, frameOf, normalize, statsAdd } from './normalization.js';
import type { SpaceConfig } from './space-config.js';

/** A labelled point: transformed coordinates and the index of its concept. */
export interface LabelledPoint {
  readonly coords: ArrayLike<number>;
  readonly concept: number;
}

/**
 * A space trained on labelled points only: population statistics and prototypes (seed + running mean
 * of members) from `train`, as the projector would hold them had it seen just those resources.
 */
export const trainSpace = (config: SpaceConfig, train: readonly LabelledPoint[]) => {
  const d = config.dimensions.length;
  const stats = emptyStats(d);
  const sums = config.concepts.map(() => new Float64Array(d));
  const counts = config.concepts.map(() => new Float64Array(d));
  for (const p of train) {
    for (let i = 0; i < d; i++) {
      const x = p.coords[i]!;
      if (Number.isNaN(x)) continue;
      statsAdd(stats, i, x);
      if (p.concept >= 0) {
        sums[p.concept]![i]! += x;
        counts[p.concept]![i]!++;
      }
    }
  }
  const frame = frameOf(stats, config.minScale);
  const prototypes = config.concepts.map((c, k) =>
    normalize(frame, prototypeOf(seedCoordinates(config, c), sums[k]!, counts[k]!, config.seedWeight)),
  );
  return {
    frame,
    prototypes,
    /** Index of the nearest concept of a point (transformed coordinates), -1 if none is comparable. */
    classify(coords: ArrayLike<number>): number {
      const list = memberships(config, normalize(frame, coords), prototypes, config.similarityDecay);
      return list[0] && list[0].degree > 0 ? list[0].concept : -1;
    },
    distance: (a: ArrayLike<number>, b: ArrayLike<number>) =>
      distance(config, normalize(frame, a), normalize(frame, b)),
  };
};

/** Counts of (label, predicted) pairs plus accuracy, keyed by concept key. */
export const confusion = (config: SpaceConfig, pairs: readonly [number, number][]) => {
  const key = (k: number) => (k >= 0 ? config.concepts[k]!.key : 'none');
  const matrix: Record<string, Record<string, number>> = {};
  const perConcept: Record<string, { total: number; correct: number }> = {};
  let correct = 0;
  for (const [label, predicted] of pairs) {
    matrix[key(label)] ??= {};
    const row = matrix[key(label)]!;
    row[key(predicted)] = (row[key(predicted)] ?? 0) + 1;
    perConcept[key(label)] ??= { total: 0, correct: 0 };
    const pc = perConcept[key(label)]!;
    pc.total++;
    if (label === predicted) {
      pc.correct++;
      correct++;
    }
  }
  return {
    total: pairs.length,
    correct,
    accuracy: pairs.length ? correct / pairs.length : Number.NaN,
    perConcept,
    matrix,
  };
};
