import { plantedAnomalies } from '@cim/fleet-generator';
import { SpaceError } from './errors.js';
import { fleetStream, foldStream } from './fleet-space.js';
import { type InstanceType, instanceQualities, loadInstanceTypes } from './instance-types.js';
import { confusion, type LabelledPoint, trainSpace } from './labelled-space.js';
import { transformValue } from './normalization.js';
import { isLive } from './resource-table.js';
import { resolveSpaceConfig, type SpaceConfig } from './space-config.js';
import { SpaceView, snapshotOfModel } from './space-view.js';

export interface EvaluationOptions {
  /** Seed of the generated fleet and of its train/test split. @default 42 */
  seed?: number;
  /** @default 3000 */
  resources?: number;
  /** Events per resource: enough measurements for the moving averages to settle. @default 20 */
  eventsPerResource?: number;
  /** Share of the fleet's labelled resources the prototypes are trained on. @default 0.7 */
  trainShare?: number;
  config?: SpaceConfig;
  instanceTypes?: readonly InstanceType[];
}

type Confusion = ReturnType<typeof confusion>;

export interface EvaluationReport {
  instanceTypes: Confusion & {
    method: string;
    /** Accuracy of always answering the most common label. */
    majorityBaseline: number;
    misclassified: { name: string; label: string; predicted: string }[];
    /** Differently labelled entries the qualities cannot tell apart, closest first. */
    inseparable: { a: string; b: string; distance: number }[];
  };
  fleet: Confusion & { method: string; seed: number; resources: number; events: number };
  anomalies: {
    seed: number;
    planted: number;
    /** Planted anomalies that were measured at least once (the others cannot show). */
    measured: number;
    flagged: number;
    truePositives: number;
    precision: number;
    recall: number;
    byKind: Record<string, { measured: number; found: number }>;
    threshold: number;
  };
}

const coordsOf = (config: SpaceConfig, t: InstanceType) => {
  const q = instanceQualities(t);
  return Float64Array.from(config.dimensions, (d) => {
    const v = q[d.quality];
    return v === undefined ? Number.NaN : transformValue(d.transform, v);
  });
};

/** Both entries publish cores and memory: otherwise a small distance only means "little is known". */
const comparable = (a: InstanceType, b: InstanceType) =>
  a.vcpu !== null && b.vcpu !== null && a.memory_gib !== null && b.memory_gib !== null;

/**
 * Leave-one-out over the published instance types: each is classified by a space trained on the rest,
 * among the concepts the set has labels for (seeds of the others would only add wrong answers).
 */
const evaluateInstanceTypes = (
  full: SpaceConfig,
  types: readonly InstanceType[],
): EvaluationReport['instanceTypes'] => {
  const labels = new Set(types.map((t) => t.label));
  const config: SpaceConfig = { ...full, concepts: full.concepts.filter((c) => labels.has(c.key)) };
  const points: LabelledPoint[] = types.map((t) => {
    const concept = config.concepts.findIndex((c) => c.key === t.label);
    if (concept < 0)
      throw new SpaceError(
        'INVALID_DATA',
        `instance type ${t.name} has label '${t.label}', which is no concept of this space`,
      );
    return { coords: coordsOf(config, t), concept };
  });
  const pairs: [number, number][] = points.map((p, i) => [
    p.concept,
    trainSpace(
      config,
      points.filter((_, j) => j !== i),
    ).classify(p.coords),
  ]);
  const key = (k: number) => (k >= 0 ? config.concepts[k]!.key : 'none');
  const all = trainSpace(config, points);
  const inseparable: { a: string; b: string; distance: number }[] = [];
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++) {
      if (points[i]!.concept === points[j]!.concept || !comparable(types[i]!, types[j]!)) continue;
      const d = all.distance(points[i]!.coords, points[j]!.coords);
      if (d <= INSEPARABLE_DISTANCE)
        inseparable.push({
          a: `${types[i]!.name} (${types[i]!.label})`,
          b: `${types[j]!.name} (${types[j]!.label})`,
          distance: d,
        });
    }
  inseparable.sort((x, y) => x.distance - y.distance || x.a.localeCompare(y.a));
  const counts = new Map<string, number>();
  for (const t of types) counts.set(t.label, (counts.get(t.label) ?? 0) + 1);
  return {
    method: `leave-one-out: each entry is classified by the nearest prototype of a space (z-score frame, prototypes = seed + members' mean) trained on all other entries, among the ${config.concepts.length} concepts the set labels; capacity qualities only (cores, memory, network, local storage, connections, as published)`,
    majorityBaseline: Math.max(...counts.values()) / types.length,
    ...confusion(config, pairs),
    misclassified: pairs.flatMap(([label, predicted], i) =>
      label === predicted ? [] : [{ name: types[i]!.name, label: key(label), predicted: key(predicted) }],
    ),
    inseparable,
  };
};

/** Entries closer than this, with different labels, count as inseparable. */
export const INSEPARABLE_DISTANCE = 0.05;

/** FNV-1a of a string: a stable, seedable split that does not depend on stream order. */
const hash = (text: string, seed: number): number => {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h / 2 ** 32;
};

/**
 * Evaluates the space: classification of published instance types (leave-one-out), classification of
 * a generated fleet (prototypes trained on a seeded 70% of its labelled resources, tested on the rest,
 * with every quality: capacity, measurements, NIC evidence), and anomaly precision/recall against the
 * anomalies the generator planted, with the projector's own calibrated threshold. Deterministic.
 */
export const evaluate = (options: EvaluationOptions = {}): EvaluationReport => {
  const config = options.config ?? resolveSpaceConfig();
  const seed = options.seed ?? 42;
  const resources = options.resources ?? 3_000;
  const events = resources * (options.eventsPerResource ?? 20);
  const trainShare = options.trainShare ?? 0.7;

  const { model, checkpoint } = foldStream(config, fleetStream({ resources, events, seed }));
  const live = [...model.resources.values()].filter((r) => isLive(r) && r.concept >= 0);
  const isTrain = (id: string) => hash(id, seed) < trainShare;
  const trained = trainSpace(
    config,
    live.filter((r) => isTrain(r.id)),
  );
  const test = live.filter((r) => !isTrain(r.id));
  const fleet = {
    method: `train/test split by seeded hash of the resource id: ${Math.round(trainShare * 100)}% train, rest test`,
    seed,
    resources,
    events,
    ...confusion(
      config,
      test.map((r) => [r.concept, trained.classify(r.coords)] as [number, number]),
    ),
  };

  const view = new SpaceView(snapshotOfModel(config, model, checkpoint));
  const planted = plantedAnomalies({ resources, events, seed });
  const measured = planted.filter((p) => {
    const i = view.indexOf(p.resource_id);
    return i >= 0 && view.live[i]!.samples > 0;
  });
  const flagged = new Set(view.anomalies(Number.MAX_SAFE_INTEGER).anomalies.map((a) => a.id));
  const found = measured.filter((p) => flagged.has(p.resource_id));
  const byKind: Record<string, { measured: number; found: number }> = {};
  for (const p of measured) {
    byKind[p.kind] ??= { measured: 0, found: 0 };
    const k = byKind[p.kind]!;
    k.measured++;
    if (flagged.has(p.resource_id)) k.found++;
  }
  return {
    instanceTypes: evaluateInstanceTypes(config, options.instanceTypes ?? loadInstanceTypes()),
    fleet,
    anomalies: {
      seed,
      planted: planted.length,
      measured: measured.length,
      flagged: flagged.size,
      truePositives: found.length,
      precision: flagged.size ? found.length / flagged.size : Number.NaN,
      recall: measured.length ? found.length / measured.length : Number.NaN,
      byKind,
      threshold: view.threshold.value,
    },
  };
};
