/**
 * What the pure projection asks the store to do, as data. Rows carry plain JS values (timestamps as
 * ISO strings, JSON columns as objects); `write-effects.ts` turns them into set-based SQL.
 */

export interface ResourceRow {
  id: string;
  hostname: string;
  resource_type: string;
  category: string;
  status: string;
  cpu_cores: number | null;
  memory_mb: number | null;
  storage_gb: number | null;
  network_bandwidth_mbps: number | null;
  connection_limit: number | null;
  redundancy: number | null;
  os: string | null;
  site: string | null;
  labels: Record<string, string>;
  cpu_utilization: number | null;
  memory_utilization: number | null;
  disk_utilization: number | null;
  network_throughput_mbps: number | null;
  disk_iops: number | null;
  uptime_seconds: number | null;
  error_rate: number | null;
  latency_ms: number | null;
  latency_variance: number | null;
  measured_at: string | null;
  registered_at: string;
  updated_at: string;
  decommissioned_at: string | null;
  decommission_reason: string | null;
  aggregate_version: number;
}

export interface NetworkRow {
  id: string;
  name: string;
  cidr: string;
  vlan_id: number | null;
  gateway: string | null;
  site: string | null;
  status: string;
  defined_at: string;
  updated_at: string;
  removed_at: string | null;
  removed_reason: string | null;
  aggregate_version: number;
}

export interface ConnectionRow {
  id: string;
  a_resource_id: string;
  a_interface: string;
  b_resource_id: string;
  b_interface: string;
  medium: string;
  speed_mbps: number | null;
  status: string;
  established_at: string;
  severed_at: string | null;
  severed_reason: string | null;
  aggregate_version: number;
}

export interface SoftwareRow {
  id: string;
  resource_id: string;
  name: string;
  version: string;
  kind: string;
  ports: number[];
  config: Record<string, unknown>;
  status: string;
  configured_at: string;
  removed_at: string | null;
  removed_reason: string | null;
  aggregate_version: number;
}

export interface PolicyRow {
  id: string;
  name: string;
  kind: string;
  enforcement: string;
  rules: Record<string, unknown>;
  status: string;
  set_at: string;
  removed_at: string | null;
  removed_reason: string | null;
  aggregate_version: number;
}

export interface InterfaceRow {
  resource_id: string;
  name: string;
  position: number;
  mac: string | null;
  kind: string;
  speed_mbps: number | null;
}

export interface AddressRow {
  resource_id: string;
  interface_name: string;
  position: number;
  address: string;
  ip: string;
  prefix_length: number;
  network_id: string | null;
}

export interface AuditRow {
  sequence: number;
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  aggregate_version: number;
  correlation_id: string;
  causation_id: string;
  occurred_at: string;
  schema_version: number;
}

/** Tables whose rows are whole entities keyed by `id` (the aggregate id). */
export interface EntityRows {
  compute_resources: ResourceRow;
  networks: NetworkRow;
  connections: ConnectionRow;
  software_installations: SoftwareRow;
  policies: PolicyRow;
}
export type EntityTable = keyof EntityRows;

/** Writes a whole row (insert or replace). */
export type PutEffect = { [T in EntityTable]: { kind: 'put'; table: T; row: EntityRows[T] } }[EntityTable];

/** Changes some columns of an existing row; absent keys are kept, a missing row is left alone. */
export type PatchEffect = {
  [T in EntityTable]: { kind: 'patch'; table: T; id: string; set: Partial<EntityRows[T]> };
}[EntityTable];

export type Effect =
  | PutEffect
  | PatchEffect
  /** The full new interface list (and addresses) of a resource. */
  | { kind: 'interfaces'; resource_id: string; interfaces: InterfaceRow[]; addresses: AddressRow[] }
  /** The full new target list of a policy. */
  | { kind: 'policy_targets'; policy_id: string; resource_ids: string[] }
  /** Network membership inside this CIDR changed: recompute `network_id` of addresses in it. */
  | { kind: 'relink'; cidr: string }
  | { kind: 'audit'; row: AuditRow };

export const ENTITY_TABLES: readonly EntityTable[] = [
  'compute_resources',
  'networks',
  'connections',
  'software_installations',
  'policies',
];
