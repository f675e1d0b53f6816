import type { EventOf, InfrastructureEvent } from '@cim/contract';
import type { Projection, StreamEvent } from '@cim/projection-kit';
import { conceptIndexOfType } from './concepts.js';
import {
  copyStats,
  emptyStats,
  type RunningStats,
  statsAdd,
  statsRemove,
  transformValue,
} from './normalization.js';
import { CAPACITY_QUALITIES, MEASURED_QUALITIES, virtualNicEvidence } from './qualities.js';
import { isLive, type ResourceRecord, ResourceTable } from './resource-table.js';
import type { SpaceConfig } from './space-config.js';

/** Running sums of each concept's labelled members, per dimension (for the prototypes' means). */
export interface ConceptAccumulators {
  readonly sums: readonly Float64Array[];
  readonly counts: readonly Float64Array[];
  readonly members: Float64Array;
}

/** The state of the fold: resources, population statistics and concept accumulators. */
export interface SpaceModel {
  readonly resources: ResourceTable;
  readonly stats: RunningStats;
  readonly concepts: ConceptAccumulators;
}

/** What a fold step asks the store to write: a resource row, or the (small) aggregate rows. */
export type SpaceEffect = { kind: 'put_resource'; resource: ResourceRecord } | { kind: 'put_aggregates' };

const PUT_AGGREGATES: SpaceEffect = Object.freeze({ kind: 'put_aggregates' });
const NONE: readonly SpaceEffect[] = Object.freeze([]);

export const emptyModel = (config: SpaceConfig): SpaceModel => {
  const d = config.dimensions.length;
  return {
    resources: new ResourceTable(),
    stats: emptyStats(d),
    concepts: {
      sums: config.concepts.map(() => new Float64Array(d)),
      counts: config.concepts.map(() => new Float64Array(d)),
      members: new Float64Array(config.concepts.length),
    },
  };
};

const copyConcepts = (concepts: ConceptAccumulators): ConceptAccumulators => ({
  sums: concepts.sums.map((s) => s.slice()),
  counts: concepts.counts.map((c) => c.slice()),
  members: concepts.members.slice(),
});

/** Opens a batch over a committed model: the committed one is not touched until {@link commitBatch}. */
export const beginBatch = (committed: SpaceModel): SpaceModel => ({
  resources: committed.resources.fork(),
  stats: copyStats(committed.stats),
  concepts: copyConcepts(committed.concepts),
});

/**
 * Opens a batch over the working model of the batch before it, whose fold is done but which has
 * not committed yet (folding on arrival): what that batch changed is seen, not copied.
 */
export const stackBatch = (before: SpaceModel): SpaceModel => ({
  resources: before.resources.stack(),
  stats: copyStats(before.stats),
  concepts: copyConcepts(before.concepts),
});

/** The committed model after a batch's transaction committed. */
export const commitBatch = (working: SpaceModel): SpaceModel => ({
  ...working,
  resources: working.resources.merge(),
});

const sameValue = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** Replaces a resource's record, moving its contributions to the statistics and its concept's sums. */
const replace = (model: SpaceModel, old: ResourceRecord | undefined, next: ResourceRecord): boolean => {
  const { stats, concepts } = model;
  const oldLive = old !== undefined && isLive(old);
  const newLive = isLive(next);
  const oc = oldLive ? old.concept : -1;
  const nc = newLive ? next.concept : -1;
  let changed = oc !== nc;
  for (let i = 0; i < next.coords.length; i++) {
    const a = oldLive ? old.coords[i]! : Number.NaN;
    const b = newLive ? next.coords[i]! : Number.NaN;
    const moved = !sameValue(a, b);
    if (moved) {
      changed = true;
      if (!Number.isNaN(a)) statsRemove(stats, i, a);
      if (!Number.isNaN(b)) statsAdd(stats, i, b);
    }
    if (oc !== nc || moved) {
      if (oc >= 0 && !Number.isNaN(a)) {
        const n = --concepts.counts[oc]![i]!;
        concepts.sums[oc]![i] = n === 0 ? 0 : concepts.sums[oc]![i]! - a;
      }
      if (nc >= 0 && !Number.isNaN(b)) {
        concepts.counts[nc]![i]!++;
        concepts.sums[nc]![i]! += b;
      }
    }
  }
  if (oc >= 0 && oc !== nc) concepts.members[oc]!--;
  if (nc >= 0 && oc !== nc) concepts.members[nc]!++;
  model.resources.set(next);
  return changed;
};

const put = (
  model: SpaceModel,
  old: ResourceRecord | undefined,
  next: ResourceRecord,
): readonly SpaceEffect[] =>
  replace(model, old, next)
    ? [{ kind: 'put_resource', resource: next }, PUT_AGGREGATES]
    : [{ kind: 'put_resource', resource: next }];

type CapacityPayload = Partial<Record<(typeof CAPACITY_QUALITIES)[number], number>> & {
  interfaces?: EventOf<'ComputeRegistered'>['payload']['interfaces'];
};

/** Writes capacities present in a payload; with `full`, absent ones become unknown (a registration). */
const setCapacities = (config: SpaceConfig, coords: number[], p: CapacityPayload, full: boolean) => {
  for (const q of CAPACITY_QUALITIES) {
    const i = config.indexOf(q);
    if (i === undefined) continue;
    const v = p[q];
    if (v !== undefined) coords[i] = transformValue(config.dimensions[i]!.transform, v);
    else if (full) coords[i] = Number.NaN;
  }
  const nic = config.indexOf('virtual_nic');
  if (nic !== undefined && (full || p.interfaces !== undefined)) {
    const evidence = virtualNicEvidence(p.interfaces ?? []);
    coords[nic] = evidence === undefined ? Number.NaN : evidence;
  }
};

const base = (item: StreamEvent, e: InfrastructureEvent) => ({
  version: e.aggregate_version,
  updatedSeq: item.sequence,
});

const register = (
  config: SpaceConfig,
  model: SpaceModel,
  item: StreamEvent,
  e: EventOf<'ComputeRegistered'>,
) => {
  const old = model.resources.get(e.aggregate_id);
  // A repeated registration redescribes the resource but keeps what was measured.
  const coords = old ? old.coords.slice() : new Array<number>(config.dimensions.length).fill(Number.NaN);
  setCapacities(config, coords, e.payload, true);
  return put(model, old, {
    id: e.aggregate_id,
    hostname: e.payload.hostname,
    type: e.payload.resource_type,
    concept: conceptIndexOfType(config.concepts, e.payload.resource_type),
    status: 'active',
    coords,
    samples: old?.samples ?? 0,
    registeredSeq: old?.registeredSeq ?? item.sequence,
    ...base(item, e),
  });
};

const update = (config: SpaceConfig, model: SpaceModel, item: StreamEvent, e: EventOf<'ComputeUpdated'>) => {
  const old = model.resources.get(e.aggregate_id);
  if (!old) return NONE; // never registered here: nothing to place in the space
  const coords = old.coords.slice();
  setCapacities(config, coords, e.payload, false);
  const type = e.payload.resource_type ?? old.type;
  return put(model, old, {
    ...old,
    hostname: e.payload.hostname ?? old.hostname,
    type,
    concept: conceptIndexOfType(config.concepts, type),
    status: old.status === 'decommissioned' ? old.status : (e.payload.status ?? old.status),
    coords,
    ...base(item, e),
  });
};

const measure = (
  config: SpaceConfig,
  model: SpaceModel,
  item: StreamEvent,
  e: EventOf<'ComputeMeasured'>,
) => {
  const old = model.resources.get(e.aggregate_id);
  if (!old) return NONE;
  const coords = old.coords.slice();
  const alpha = config.emaAlpha;
  for (const q of MEASURED_QUALITIES) {
    const i = config.indexOf(q);
    const v = e.payload[q];
    if (i === undefined || v === undefined) continue;
    const x = transformValue(config.dimensions[i]!.transform, v);
    if (Number.isNaN(x)) continue;
    const prev = coords[i]!;
    // Moving average in transformed units: a latency spike of ×10 counts like a drop to ÷10.
    coords[i] = Number.isNaN(prev) ? x : prev + alpha * (x - prev);
  }
  return put(model, old, { ...old, coords, samples: old.samples + 1, ...base(item, e) });
};

const decommission = (model: SpaceModel, item: StreamEvent, e: EventOf<'ComputeDecommissioned'>) => {
  const old = model.resources.get(e.aggregate_id);
  if (!old) return NONE;
  return put(model, old, { ...old, status: 'decommissioned', ...base(item, e) });
};

/**
 * The pure projection of the conceptual space. `apply` updates the model it is given in place: hand
 * it a batch's working model ({@link beginBatch}), never the committed one. Events of other aggregates
 * change nothing.
 */
export const spaceProjection = (config: SpaceConfig): Projection<SpaceModel, SpaceEffect> => ({
  initial: () => emptyModel(config),
  apply(model, item) {
    const e = item.event;
    switch (e.event_type) {
      case 'ComputeRegistered':
        return { state: model, effects: register(config, model, item, e) };
      case 'ComputeUpdated':
        return { state: model, effects: update(config, model, item, e) };
      case 'ComputeMeasured':
        return { state: model, effects: measure(config, model, item, e) };
      case 'ComputeDecommissioned':
        return { state: model, effects: decommission(model, item, e) };
      default:
        return { state: model, effects: NONE };
    }
  },
});
