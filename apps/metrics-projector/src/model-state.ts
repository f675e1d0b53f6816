import type { ResourceTypeName } from '@cim/contract';

/** Operational status of a live resource (decommissioned resources leave the model). */
export type ResourceStatus = 'active' | 'maintenance' | 'degraded' | 'offline';
export type ConnectionStatus = 'established' | 'severed';
export type PolicyKind = 'security' | 'backup' | 'patching' | 'access' | 'compliance' | 'monitoring';

/**
 * The latest reported value of each measured quality, in base units; NaN where never reported.
 * NaN rather than optional fields keeps every row the same shape (fast property access at 1M events).
 */
export interface Qualities {
  readonly cpu: number;
  readonly memory: number;
  readonly disk: number;
  readonly errorRate: number;
  readonly latencySeconds: number;
  readonly uptimeSeconds: number;
}

/** A live compute resource. Rows are immutable: a change replaces the row, which keeps undo trivial. */
export interface ResourceRow {
  readonly hostname: string;
  readonly type: ResourceTypeName;
  readonly status: ResourceStatus;
  /** Position of its registration in the stream; the per-resource series bound keeps the oldest. */
  readonly registeredAt: number;
  readonly qualities: Qualities;
}

export const UNMEASURED: Qualities = Object.freeze({
  cpu: Number.NaN,
  memory: Number.NaN,
  disk: Number.NaN,
  errorRate: Number.NaN,
  latencySeconds: Number.NaN,
  uptimeSeconds: Number.NaN,
});

/**
 * The in-memory read model: only what the exported series need. Every map is keyed by aggregate id
 * (or by label value for counts), so the whole model is maps and the undo journal only needs to
 * remember previous map entries.
 */
export interface MetricsModel {
  readonly resources: Map<string, ResourceRow>;
  /** Decommissioned resources by canonical type. */
  readonly decommissioned: Map<string, number>;
  /** Live networks (id → true; nothing else about a network is exported). */
  readonly networks: Map<string, true>;
  /** Every connection ever established, with its last status. */
  readonly connections: Map<string, ConnectionStatus>;
  /** Live software installations (id → software name). */
  readonly software: Map<string, string>;
  /** Live policies (id → kind). */
  readonly policies: Map<string, PolicyKind>;
  /** Applied events by event type. */
  readonly events: Map<string, number>;
  /** Stream sequence of the last applied event: the checkpoint. */
  sequence: number;
  /** Bumped at every commit, so derived series are recomputed only when something changed. */
  version: number;
}

/** An empty model at sequence 0. */
export const emptyModel = (): MetricsModel => ({
  resources: new Map(),
  decommissioned: new Map(),
  networks: new Map(),
  connections: new Map(),
  software: new Map(),
  policies: new Map(),
  events: new Map(),
  sequence: 0,
  version: 0,
});

/** The model's maps by name, for snapshots and the journal. */
export const MODEL_MAPS = [
  'resources',
  'decommissioned',
  'networks',
  'connections',
  'software',
  'policies',
  'events',
] as const;
export type ModelMapName = (typeof MODEL_MAPS)[number];
