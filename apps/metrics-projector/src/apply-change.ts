import type { Journal } from './journal.js';
import type { ModelChange } from './model.js';
import { type MetricsModel, type Qualities, type ResourceRow, UNMEASURED } from './model-state.js';

const latest = (previous: number, reported: number): number => (Number.isNaN(reported) ? previous : reported);

/** Merges a measurement into what was known: each quality keeps its latest reported value. */
const merge = (known: Qualities, reported: Qualities): Qualities => ({
  cpu: latest(known.cpu, reported.cpu),
  memory: latest(known.memory, reported.memory),
  disk: latest(known.disk, reported.disk),
  errorRate: latest(known.errorRate, reported.errorRate),
  latencySeconds: latest(known.latencySeconds, reported.latencySeconds),
  uptimeSeconds: latest(known.uptimeSeconds, reported.uptimeSeconds),
});

/**
 * Executes one change against the model, recording every overwritten entry in `journal` so the unit
 * of work can be undone. Changes that reference an aggregate the model does not hold (a measurement
 * of a decommissioned resource, a severed connection never established) change nothing: the stream
 * is the truth, and a late event must not resurrect what is gone.
 */
export const applyChange = (model: MetricsModel, change: ModelChange, journal: Journal): void => {
  switch (change.kind) {
    case 'count':
      journal.set(model.events, change.eventType, (model.events.get(change.eventType) ?? 0) + 1);
      return;
    case 'register':
      journal.set(model.resources, change.id, {
        hostname: change.hostname,
        type: change.type,
        status: 'active',
        registeredAt: change.order,
        qualities: UNMEASURED,
      });
      return;
    case 'update': {
      const row = model.resources.get(change.id);
      if (!row) return;
      const next: ResourceRow = {
        hostname: change.hostname ?? row.hostname,
        type: change.type ?? row.type,
        status: change.status ?? row.status,
        registeredAt: row.registeredAt,
        qualities: row.qualities,
      };
      journal.set(model.resources, change.id, next);
      return;
    }
    case 'measure': {
      const row = model.resources.get(change.id);
      if (!row) return;
      journal.set(model.resources, change.id, {
        hostname: row.hostname,
        type: row.type,
        status: row.status,
        registeredAt: row.registeredAt,
        qualities: merge(row.qualities, change.qualities),
      });
      return;
    }
    case 'decommission': {
      const row = model.resources.get(change.id);
      if (!row) return;
      journal.delete(model.resources, change.id);
      journal.set(model.decommissioned, row.type, (model.decommissioned.get(row.type) ?? 0) + 1);
      return;
    }
    case 'network':
      if (change.live) journal.set(model.networks, change.id, true);
      else if (model.networks.has(change.id)) journal.delete(model.networks, change.id);
      return;
    case 'connection':
      if (change.status === 'established' || model.connections.has(change.id))
        journal.set(model.connections, change.id, change.status);
      return;
    case 'software':
      if (change.name !== null) journal.set(model.software, change.id, change.name);
      else if (model.software.has(change.id)) journal.delete(model.software, change.id);
      return;
    case 'policy':
      if (change.policyKind !== null) journal.set(model.policies, change.id, change.policyKind);
      else if (model.policies.has(change.id)) journal.delete(model.policies, change.id);
      return;
  }
};
