import type { EventOf } from '@cim/contract';
import { definedOf } from './compute-effects.js';
import type { Effect } from './effects.js';
import type { ModelState } from './model-state.js';

/** One step of the fold: the next state and the effects of the event. */
export type Step = { state: ModelState; effects: Effect[] };

/** Effects of network events; defining or removing a network changes the state and relinks. */
export const networkEvent = (
  state: ModelState,
  e: EventOf<'NetworkDefined'> | EventOf<'NetworkUpdated'> | EventOf<'NetworkRemoved'>,
): Step => {
  const id = e.aggregate_id;
  const version = { aggregate_version: e.aggregate_version };
  const before = state.networks.cidrOf(id);
  switch (e.event_type) {
    case 'NetworkDefined': {
      const p = e.payload;
      const row = {
        id,
        name: p.name,
        cidr: p.cidr,
        vlan_id: p.vlan_id ?? null,
        gateway: p.gateway ?? null,
        site: p.site ?? null,
        status: 'active',
        defined_at: e.occurred_at,
        updated_at: e.occurred_at,
        removed_at: null,
        removed_reason: null,
        ...version,
      };
      const effects: Effect[] = [{ kind: 'put', table: 'networks', row }];
      if (before !== undefined && before !== p.cidr) effects.push({ kind: 'relink', cidr: before });
      effects.push({ kind: 'relink', cidr: p.cidr });
      return { state: { networks: state.networks.with(id, p.cidr) }, effects };
    }
    case 'NetworkUpdated': {
      // null clears vlan/gateway, so these keys are copied even when null.
      const set = {
        ...definedOf(e.payload, ['name', 'vlan_id', 'gateway', 'site']),
        updated_at: e.occurred_at,
        ...version,
      };
      return { state, effects: [{ kind: 'patch', table: 'networks', id, set }] };
    }
    case 'NetworkRemoved': {
      const set = {
        status: 'removed',
        removed_at: e.occurred_at,
        removed_reason: e.payload.reason ?? null,
        ...version,
      };
      const effects: Effect[] = [{ kind: 'patch', table: 'networks', id, set }];
      if (before !== undefined) effects.push({ kind: 'relink', cidr: before });
      return { state: { networks: state.networks.without(id) }, effects };
    }
  }
};
