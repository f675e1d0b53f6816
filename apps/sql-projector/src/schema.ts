/**
 * Kysely types of the read model: the tables (as the projection writes them) and the reporting
 * views. Every table and view lives in one schema (`DB_SCHEMA`, default `cim`), so a blue/green
 * swap moves them together. Timestamps are written as ISO strings and read back as `Date`.
 */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, string, string>;
type NullableTimestamp = ColumnType<Date | null, string | null, string | null>;
type Json<T> = ColumnType<T, string, string>;

export interface ComputeResourcesTable {
  id: string;
  hostname: string;
  resource_type: string;
  category: string;
  /** active | maintenance | degraded | offline | decommissioned */
  status: string;
  cpu_cores: number | null;
  memory_mb: number | null;
  storage_gb: number | null;
  network_bandwidth_mbps: number | null;
  connection_limit: number | null;
  redundancy: number | null;
  os: string | null;
  site: string | null;
  labels: Json<Record<string, string>>;
  cpu_utilization: number | null;
  memory_utilization: number | null;
  disk_utilization: number | null;
  network_throughput_mbps: number | null;
  disk_iops: number | null;
  uptime_seconds: number | null;
  error_rate: number | null;
  latency_ms: number | null;
  latency_variance: number | null;
  measured_at: NullableTimestamp;
  registered_at: Timestamp;
  /** Last registration, update or decommission (measurements only move `measured_at`). */
  updated_at: Timestamp;
  decommissioned_at: NullableTimestamp;
  decommission_reason: string | null;
  aggregate_version: number;
}

export interface InterfacesTable {
  resource_id: string;
  name: string;
  /** Place in the resource's interface list. */
  position: number;
  mac: string | null;
  kind: string;
  speed_mbps: number | null;
}

export interface InterfaceAddressesTable {
  resource_id: string;
  interface_name: string;
  position: number;
  /** Canonical `ip/prefix` as in the event. */
  address: string;
  /** The host address alone, for containment queries. */
  ip: ColumnType<string, string, string>;
  prefix_length: number;
  /** Most specific active network whose CIDR contains `ip`. */
  network_id: string | null;
}

export interface NetworksTable {
  id: string;
  name: string;
  cidr: string;
  vlan_id: number | null;
  gateway: string | null;
  site: string | null;
  /** active | removed */
  status: string;
  defined_at: Timestamp;
  updated_at: Timestamp;
  removed_at: NullableTimestamp;
  removed_reason: string | null;
  aggregate_version: number;
}

export interface ConnectionsTable {
  id: string;
  a_resource_id: string;
  a_interface: string;
  b_resource_id: string;
  b_interface: string;
  medium: string;
  speed_mbps: number | null;
  /** active | severed */
  status: string;
  established_at: Timestamp;
  severed_at: NullableTimestamp;
  severed_reason: string | null;
  aggregate_version: number;
}

export interface SoftwareInstallationsTable {
  id: string;
  resource_id: string;
  name: string;
  version: string;
  kind: string;
  ports: Json<number[]>;
  config: Json<Record<string, unknown>>;
  /** installed | removed */
  status: string;
  configured_at: Timestamp;
  removed_at: NullableTimestamp;
  removed_reason: string | null;
  aggregate_version: number;
}

export interface PoliciesTable {
  id: string;
  name: string;
  kind: string;
  enforcement: string;
  rules: Json<Record<string, unknown>>;
  /** active | removed */
  status: string;
  set_at: Timestamp;
  removed_at: NullableTimestamp;
  removed_reason: string | null;
  aggregate_version: number;
}

export interface PolicyTargetsTable {
  policy_id: string;
  resource_id: string;
}

export interface EventAuditTable {
  sequence: ColumnType<string, number, number>;
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  aggregate_version: number;
  correlation_id: string;
  causation_id: string;
  occurred_at: Timestamp;
  schema_version: number;
}

export interface InventorySummaryView {
  category: string;
  resource_type: string;
  status: string;
  resources: number;
}

export interface IpUsageView {
  network_id: string;
  name: string;
  cidr: string;
  site: string | null;
  vlan_id: number | null;
  used_addresses: number;
  size: number;
}

export interface ResourceConnectionsView {
  resource_id: string;
  hostname: string;
  resource_type: string;
  site: string | null;
  active_connections: number;
  severed_connections: number;
}

export interface OrphanedInterfacesView {
  resource_id: string;
  hostname: string;
  interface: string;
  kind: string;
  mac: string | null;
}

export interface SoftwareInventoryView {
  name: string;
  version: string;
  kind: string;
  installations: number;
  resources: number;
}

export interface SoftwarePlacementView {
  name: string;
  version: string;
  kind: string;
  resource_id: string;
  hostname: string;
  site: string | null;
}

export interface PolicyCoverageView {
  /** A policy kind, or `any` for resources covered by at least one active policy. */
  kind: string;
  covered: number;
  uncovered: number;
}

export interface ResourceHistoryView extends EventAuditTable {
  resource_id: string;
}

/** The read model as kysely sees it (unqualified names; queries use `withSchema`). */
export interface Database {
  compute_resources: ComputeResourcesTable;
  interfaces: InterfacesTable;
  interface_addresses: InterfaceAddressesTable;
  networks: NetworksTable;
  connections: ConnectionsTable;
  software_installations: SoftwareInstallationsTable;
  policies: PoliciesTable;
  policy_targets: PolicyTargetsTable;
  event_audit: EventAuditTable;
  inventory_summary: InventorySummaryView;
  ip_usage: IpUsageView;
  resource_connections: ResourceConnectionsView;
  orphaned_interfaces: OrphanedInterfacesView;
  software_inventory: SoftwareInventoryView;
  software_placement: SoftwarePlacementView;
  policy_coverage: PolicyCoverageView;
  resource_history: ResourceHistoryView;
}
