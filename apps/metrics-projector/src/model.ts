import { EVENT_TYPES, type EventType, type InfrastructureEvent, type ResourceTypeName } from '@cim/contract';
import type { Projection, StreamEvent } from '@cim/projection-kit';
import type { ConnectionStatus, PolicyKind, Qualities, ResourceStatus } from './model-state.js';

/**
 * A change of the metrics model, as data: what one event means for the read model. The adapter
 * executes changes against the in-memory model ({@link applyChange}); the fold itself is pure.
 */
export type ModelChange =
  | { kind: 'count'; eventType: EventType }
  | { kind: 'register'; id: string; hostname: string; type: ResourceTypeName; order: number }
  | { kind: 'update'; id: string; hostname?: string; type?: ResourceTypeName; status?: ResourceStatus }
  | { kind: 'measure'; id: string; qualities: Qualities }
  | { kind: 'decommission'; id: string }
  | { kind: 'network'; id: string; live: boolean }
  | { kind: 'connection'; id: string; status: ConnectionStatus }
  | { kind: 'software'; id: string; name: string | null }
  | { kind: 'policy'; id: string; policyKind: PolicyKind | null };

/** One shared, frozen count change per event type: the fold allocates nothing for it. */
const COUNTS = Object.fromEntries(
  EVENT_TYPES.map((eventType) => [eventType, Object.freeze({ kind: 'count', eventType } as const)]),
) as unknown as Readonly<Record<EventType, ModelChange>>;

const num = (value: number | undefined, scale = 1): number =>
  value === undefined ? Number.NaN : value * scale;

/**
 * The changes one event makes, in order. `order` is the event's position in the stream (its
 * sequence when projecting; any increasing number when backfilling).
 */
export const changesOf = (event: InfrastructureEvent, order: number): ModelChange[] => {
  const count = COUNTS[event.event_type];
  const id = event.aggregate_id;
  switch (event.event_type) {
    case 'ComputeRegistered': {
      const { hostname, resource_type } = event.payload;
      return [count, { kind: 'register', id, hostname, type: resource_type, order }];
    }
    case 'ComputeUpdated': {
      const { hostname, resource_type, status } = event.payload;
      // Capacity, OS, interface and label changes show in no series: count the event only.
      if (hostname === undefined && resource_type === undefined && status === undefined) return [count];
      return [
        count,
        {
          kind: 'update',
          id,
          ...(hostname !== undefined && { hostname }),
          ...(resource_type !== undefined && { type: resource_type }),
          ...(status !== undefined && { status }),
        },
      ];
    }
    case 'ComputeMeasured': {
      const p = event.payload;
      const qualities: Qualities = {
        cpu: num(p.cpu_utilization),
        memory: num(p.memory_utilization),
        disk: num(p.disk_utilization),
        errorRate: num(p.error_rate),
        latencySeconds: num(p.latency_ms, 1 / 1000),
        uptimeSeconds: num(p.uptime_seconds),
      };
      return [count, { kind: 'measure', id, qualities }];
    }
    case 'ComputeDecommissioned':
      return [count, { kind: 'decommission', id }];
    case 'NetworkDefined':
      return [count, { kind: 'network', id, live: true }];
    case 'NetworkRemoved':
      return [count, { kind: 'network', id, live: false }];
    case 'ConnectionEstablished':
      return [count, { kind: 'connection', id, status: 'established' }];
    case 'ConnectionSevered':
      return [count, { kind: 'connection', id, status: 'severed' }];
    case 'SoftwareConfigured':
      return [count, { kind: 'software', id, name: event.payload.name }];
    case 'SoftwareRemoved':
      return [count, { kind: 'software', id, name: null }];
    case 'PolicySet':
      return [count, { kind: 'policy', id, policyKind: event.payload.kind }];
    case 'PolicyRemoved':
      return [count, { kind: 'policy', id, policyKind: null }];
    case 'NetworkUpdated':
      return [count];
  }
};

/** The metrics fold as a kit {@link Projection}: stateless, every event maps to changes on its own. */
export const metricsProjection: Projection<null, ModelChange> = {
  initial: () => null,
  apply: (state, item: StreamEvent) => ({ state, effects: changesOf(item.event, item.sequence) }),
};
