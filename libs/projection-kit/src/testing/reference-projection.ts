import type { Projection, StreamEvent } from '../adapter.js';

/**
 * A small projection used to test the kit: counts events by type (so a double application shows)
 * and keeps one row per compute resource. Effects are data; adapters execute them.
 */
export type ReferenceEffect =
  | { kind: 'count'; event_type: string }
  | { kind: 'patch_resource'; id: string; version: number; hostname?: string; status?: string };

export interface ReferenceModel {
  counts: Record<string, number>;
  resources: Record<string, { hostname: string; status: string; version: number }>;
}

export const emptyModel = (): ReferenceModel => ({ counts: {}, resources: {} });

export const referenceProjection: Projection<null, ReferenceEffect> = {
  initial: () => null,
  apply(state, { event }: StreamEvent) {
    const effects: ReferenceEffect[] = [{ kind: 'count', event_type: event.event_type }];
    const base = { id: event.aggregate_id, version: event.aggregate_version };
    switch (event.event_type) {
      case 'ComputeRegistered':
        effects.push({ kind: 'patch_resource', ...base, hostname: event.payload.hostname, status: 'active' });
        break;
      case 'ComputeUpdated':
        effects.push({
          kind: 'patch_resource',
          ...base,
          ...(event.payload.hostname !== undefined && { hostname: event.payload.hostname }),
          ...(event.payload.status !== undefined && { status: event.payload.status }),
        });
        break;
      case 'ComputeDecommissioned':
        effects.push({ kind: 'patch_resource', ...base, status: 'decommissioned' });
        break;
      case 'ComputeMeasured':
        effects.push({ kind: 'patch_resource', ...base });
        break;
    }
    return { state, effects };
  },
};

/** Executes effects against the in-memory model (also the independent reference of the law suite). */
export const applyEffects = (model: ReferenceModel, effects: readonly ReferenceEffect[]): ReferenceModel => {
  for (const e of effects) {
    if (e.kind === 'count') {
      model.counts[e.event_type] = (model.counts[e.event_type] ?? 0) + 1;
    } else {
      const row = model.resources[e.id] ?? { hostname: '', status: 'active', version: 0 };
      model.resources[e.id] = {
        hostname: e.hostname ?? row.hostname,
        status: e.status ?? row.status,
        version: e.version,
      };
    }
  }
  return model;
};

/** The reference read model of a stream, folded directly from the events. */
export const foldReference = (events: readonly StreamEvent[]): ReferenceModel => {
  const model = emptyModel();
  for (const item of events) applyEffects(model, referenceProjection.apply(null, item).effects);
  return model;
};
