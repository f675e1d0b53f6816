import { calibrateThreshold, explainDistance, quantile, sortedFinite, type Threshold } from './anomalies.js';
import { memberships, prototypeOf, seedCoordinates } from './concepts.js';
import { combineDomains, domainDistances } from './distance.js';
import type { QualityKey } from './domains.js';
import type { ConceptAccumulators, SpaceModel } from './model.js';
import {
  type Frame,
  frameOf,
  inverseTransform,
  normalize,
  type RunningStats,
  transformValue,
} from './normalization.js';
import { isLive, type ResourceRecord } from './resource-table.js';
import type { SpaceConfig } from './space-config.js';

/** One consistent reading of the store (or of an in-memory fold): what every query works on. */
export interface SpaceSnapshot {
  readonly config: SpaceConfig;
  readonly checkpoint: number;
  readonly resources: readonly ResourceRecord[];
  readonly stats: RunningStats;
  readonly concepts: ConceptAccumulators;
}

/** A snapshot of an in-memory model (evaluation, tests). */
export const snapshotOfModel = (config: SpaceConfig, model: SpaceModel, checkpoint = 0): SpaceSnapshot => ({
  config,
  checkpoint,
  resources: [...model.resources.values()],
  stats: model.stats,
  concepts: model.concepts,
});

/** A prototype in both coordinate systems. */
export interface PrototypePoint {
  readonly coords: Float64Array;
  readonly z: readonly number[];
  readonly members: number;
}

/**
 * Everything derived from a snapshot: the z-score frame, normalised points and prototypes, each live
 * resource's nearest concept and distance to it (its anomaly score), and the calibrated threshold.
 * Built once per snapshot; every query is then a scan over arrays.
 */
export class SpaceView {
  readonly frame: Frame;
  readonly live: readonly ResourceRecord[];
  readonly z: readonly (readonly number[])[];
  readonly prototypes: readonly PrototypePoint[];
  /** Per live resource: nearest concept index (-1 if none is comparable), its distance, per domain. */
  readonly nearest: Int32Array;
  readonly scores: Float64Array;
  readonly perDomain: readonly Float64Array[];
  /** Per concept and domain: median domain distance of the resources nearest to it. */
  readonly typical: readonly Float64Array[];
  readonly threshold: Threshold;
  private readonly byId = new Map<string, ResourceRecord>();
  private readonly liveIndex = new Map<string, number>();

  constructor(readonly snapshot: SpaceSnapshot) {
    const { config } = snapshot;
    this.frame = frameOf(snapshot.stats, config.minScale);
    for (const r of snapshot.resources) this.byId.set(r.id, r);
    this.live = snapshot.resources.filter(isLive);
    for (const [i, r] of this.live.entries()) this.liveIndex.set(r.id, i);
    this.z = this.live.map((r) => normalize(this.frame, r.coords));
    this.prototypes = config.concepts.map((c, k) => {
      const coords = prototypeOf(
        seedCoordinates(config, c),
        snapshot.concepts.sums[k]!,
        snapshot.concepts.counts[k]!,
        config.seedWeight,
      );
      return { coords, z: normalize(this.frame, coords), members: snapshot.concepts.members[k]! };
    });
    const n = this.live.length;
    const domains = config.domains.length;
    this.nearest = new Int32Array(n).fill(-1);
    this.scores = new Float64Array(n).fill(Number.NaN);
    this.perDomain = this.live.map(() => new Float64Array(domains).fill(Number.NaN));
    const scratch = new Float64Array(domains);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < this.prototypes.length; k++) {
        const d = combineDomains(config, domainDistances(config, this.z[i]!, this.prototypes[k]!.z, scratch));
        if (d < this.scores[i]! || (!Number.isNaN(d) && Number.isNaN(this.scores[i]!))) {
          this.scores[i] = d;
          this.nearest[i] = k;
          this.perDomain[i]!.set(scratch);
        }
      }
    }
    this.typical = this.prototypes.map((_, k) =>
      Float64Array.from(config.domains, (_d, j) => {
        const values: number[] = [];
        for (let i = 0; i < n; i++) if (this.nearest[i] === k) values.push(this.perDomain[i]![j]!);
        return quantile(sortedFinite(values), 0.5);
      }),
    );
    this.threshold = calibrateThreshold(this.scores, config.anomalyQuantile, config.anomalyMedianFactor);
  }

  get config(): SpaceConfig {
    return this.snapshot.config;
  }

  /** Any resource ever registered (decommissioned ones too). */
  record(id: string): ResourceRecord | undefined {
    return this.byId.get(id);
  }

  /** Index among live resources, or -1. */
  indexOf(id: string): number {
    return this.liveIndex.get(id) ?? -1;
  }

  private conceptKey = (k: number) => (k >= 0 ? this.config.concepts[k]!.key : null);

  /** Membership degrees of a z-scored point, nearest concept first. */
  classifyPoint(z: ArrayLike<number>) {
    const list = memberships(
      this.config,
      z,
      this.prototypes.map((p) => p.z),
      this.config.similarityDecay,
    );
    return list.map((m) => ({
      concept: this.config.concepts[m.concept]!.key,
      label: this.config.concepts[m.concept]!.label,
      degree: m.degree,
      distance: m.distance,
    }));
  }

  /** Z-scores of a point given in catalog units (only the qualities given are known). */
  pointOf(qualities: Partial<Record<QualityKey, number>>): number[] {
    const coords = new Float64Array(this.config.dimensions.length).fill(Number.NaN);
    for (const dim of this.config.dimensions) {
      const v = qualities[dim.quality];
      if (v !== undefined) coords[dim.index] = transformValue(dim.transform, v);
    }
    return normalize(this.frame, coords);
  }

  /** The k live resources nearest to live resource `index`, nearest first (itself excluded). */
  similar(index: number, k: number) {
    const top: { i: number; d: number }[] = [];
    const scratch = new Float64Array(this.config.domains.length);
    const from = this.z[index]!;
    for (let i = 0; i < this.z.length; i++) {
      if (i === index) continue;
      const d = combineDomains(this.config, domainDistances(this.config, from, this.z[i]!, scratch));
      if (Number.isNaN(d) || (top.length === k && d >= top[k - 1]!.d)) continue;
      let at = top.length;
      while (at > 0 && top[at - 1]!.d > d) at--;
      top.splice(at, 0, { i, d });
      if (top.length > k) top.pop();
    }
    return top.map(({ i, d }) => ({ ...this.describe(i), distance: d }));
  }

  /** Identity and class of live resource `i`. */
  describe(i: number) {
    const r = this.live[i]!;
    return {
      id: r.id,
      hostname: r.hostname,
      resource_type: r.type,
      labelled: this.conceptKey(r.concept),
      nearest: this.conceptKey(this.nearest[i]!),
    };
  }

  /** Live resources whose score exceeds the threshold, farthest first, each with its reasons. */
  anomalies(limit: number) {
    const flagged: number[] = [];
    for (let i = 0; i < this.scores.length; i++) if (this.scores[i]! > this.threshold.value) flagged.push(i);
    flagged.sort((a, b) => this.scores[b]! - this.scores[a]!);
    return { count: flagged.length, anomalies: flagged.slice(0, limit).map((i) => this.explain(i)) };
  }

  /** Score and per-domain reasons of live resource `i` against its nearest prototype. */
  explain(i: number) {
    const k = this.nearest[i]!;
    const score = this.scores[i]!;
    const reasons =
      k < 0
        ? []
        : explainDistance(
            this.config,
            this.perDomain[i]!,
            this.typical[k]!,
            { z: this.z[i]!, coords: this.live[i]!.coords },
            this.prototypes[k]!,
          );
    return { ...this.describe(i), score, ratio: score / this.threshold.value, reasons };
  }

  /** Every concept with its prototype in catalog units, member count and radius (median distance). */
  concepts() {
    return this.config.concepts.map((c, k) => {
      const p = this.prototypes[k]!;
      const prototype: Record<string, number> = {};
      for (const dim of this.config.dimensions)
        if (!Number.isNaN(p.coords[dim.index]))
          prototype[dim.quality] = inverseTransform(dim.transform, p.coords[dim.index]!);
      const distances: number[] = [];
      for (let i = 0; i < this.live.length; i++) if (this.nearest[i] === k) distances.push(this.scores[i]!);
      return {
        key: c.key,
        label: c.label,
        types: c.types,
        members: p.members,
        nearest: distances.length,
        radius: quantile(sortedFinite(distances), 0.5),
        prototype,
      };
    });
  }
}
