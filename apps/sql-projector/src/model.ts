import type { Projection, StreamEvent } from '@cim/projection-kit';
import { measured, registered, updated } from './compute-effects.js';
import type { Effect } from './effects.js';
import { initialModelState, type ModelState } from './model-state.js';
import { networkEvent, type Step } from './network-effects.js';

export { initialModelState, type ModelState } from './model-state.js';

const removal = (e: {
  occurred_at: string;
  aggregate_version: number;
  payload: { reason?: string | undefined };
}) => ({
  status: 'removed',
  removed_at: e.occurred_at,
  removed_reason: e.payload.reason ?? null,
  aggregate_version: e.aggregate_version,
});

const effectsOf = (state: ModelState, e: StreamEvent['event']): Step => {
  const id = e.aggregate_id;
  const version = e.aggregate_version;
  switch (e.event_type) {
    case 'ComputeRegistered':
      return { state, effects: registered(state, e) };
    case 'ComputeUpdated':
      return { state, effects: updated(state, e) };
    case 'ComputeDecommissioned': {
      const set = {
        status: 'decommissioned',
        decommissioned_at: e.occurred_at,
        decommission_reason: e.payload.reason ?? null,
        updated_at: e.occurred_at,
        aggregate_version: version,
      };
      return { state, effects: [{ kind: 'patch', table: 'compute_resources', id, set }] };
    }
    case 'ComputeMeasured':
      return { state, effects: [{ kind: 'patch', table: 'compute_resources', id, set: measured(e) }] };
    case 'NetworkDefined':
    case 'NetworkUpdated':
    case 'NetworkRemoved':
      return networkEvent(state, e);
    case 'ConnectionEstablished': {
      const p = e.payload;
      const row = {
        id,
        a_resource_id: p.a.resource_id,
        a_interface: p.a.interface,
        b_resource_id: p.b.resource_id,
        b_interface: p.b.interface,
        medium: p.medium,
        speed_mbps: p.speed_mbps ?? null,
        status: 'active',
        established_at: e.occurred_at,
        severed_at: null,
        severed_reason: null,
        aggregate_version: version,
      };
      return { state, effects: [{ kind: 'put', table: 'connections', row }] };
    }
    case 'ConnectionSevered': {
      const set = {
        status: 'severed',
        severed_at: e.occurred_at,
        severed_reason: e.payload.reason ?? null,
        aggregate_version: version,
      };
      return { state, effects: [{ kind: 'patch', table: 'connections', id, set }] };
    }
    case 'SoftwareConfigured': {
      const { resource_id, name, version: release, kind, ports, config } = e.payload;
      const row = {
        id,
        resource_id,
        name,
        version: release,
        kind,
        ports,
        config,
        status: 'installed',
        configured_at: e.occurred_at,
        removed_at: null,
        removed_reason: null,
        aggregate_version: version,
      };
      return { state, effects: [{ kind: 'put', table: 'software_installations', row }] };
    }
    case 'SoftwareRemoved':
      return { state, effects: [{ kind: 'patch', table: 'software_installations', id, set: removal(e) }] };
    case 'PolicySet': {
      const { name, kind, enforcement, rules, target_ids } = e.payload;
      const row = {
        id,
        name,
        kind,
        enforcement,
        rules,
        status: 'active',
        set_at: e.occurred_at,
        removed_at: null,
        removed_reason: null,
        aggregate_version: version,
      };
      // A target listed twice is still one target (and one primary-key row).
      const resource_ids = [...new Set(target_ids)];
      return {
        state,
        effects: [
          { kind: 'put', table: 'policies', row },
          { kind: 'policy_targets', policy_id: id, resource_ids },
        ],
      };
    }
    case 'PolicyRemoved':
      return { state, effects: [{ kind: 'patch', table: 'policies', id, set: removal(e) }] };
  }
};

/**
 * The pure SQL projection: `(state, event) → (state, effects)`. Only network events touch the
 * state (see model-state.ts), so the adapter can fold a whole batch before touching the store.
 * Every event also yields its audit row.
 */
export const sqlProjection: Projection<ModelState, Effect> = {
  initial: initialModelState,
  apply(state, { sequence, event: e }) {
    const step = effectsOf(state, e);
    step.effects.push({
      kind: 'audit',
      row: {
        sequence,
        event_id: e.event_id,
        event_type: e.event_type,
        aggregate_type: e.aggregate_type,
        aggregate_id: e.aggregate_id,
        aggregate_version: e.aggregate_version,
        correlation_id: e.correlation_id,
        causation_id: e.causation_id,
        occurred_at: e.occurred_at,
        schema_version: e.schema_version,
      },
    });
    return step;
  },
};
