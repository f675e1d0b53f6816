/**
 * The SQL type of every column the projection writes, per table, in insert order. Set-based writes
 * send one typed array per column (`unnest($1::uuid[], ...)`), so each needs its element type.
 * `jsonb` values are serialised with JSON.stringify (see array-literal.ts).
 */
export type SqlType =
  | 'uuid'
  | 'text'
  | 'int'
  | 'bigint'
  | 'float8'
  | 'timestamptz'
  | 'jsonb'
  | 'inet'
  | 'cidr'
  | 'bool';

export type ColumnTypes = Readonly<Record<string, SqlType>>;

const float = 'float8' as const;

export const COLUMNS = {
  compute_resources: {
    id: 'uuid',
    hostname: 'text',
    resource_type: 'text',
    category: 'text',
    status: 'text',
    cpu_cores: float,
    memory_mb: float,
    storage_gb: float,
    network_bandwidth_mbps: float,
    connection_limit: float,
    redundancy: float,
    os: 'text',
    site: 'text',
    labels: 'jsonb',
    cpu_utilization: float,
    memory_utilization: float,
    disk_utilization: float,
    network_throughput_mbps: float,
    disk_iops: float,
    uptime_seconds: float,
    error_rate: float,
    latency_ms: float,
    latency_variance: float,
    measured_at: 'timestamptz',
    registered_at: 'timestamptz',
    updated_at: 'timestamptz',
    decommissioned_at: 'timestamptz',
    decommission_reason: 'text',
    aggregate_version: 'int',
  },
  networks: {
    id: 'uuid',
    name: 'text',
    cidr: 'text',
    vlan_id: 'int',
    gateway: 'text',
    site: 'text',
    status: 'text',
    defined_at: 'timestamptz',
    updated_at: 'timestamptz',
    removed_at: 'timestamptz',
    removed_reason: 'text',
    aggregate_version: 'int',
  },
  connections: {
    id: 'uuid',
    a_resource_id: 'uuid',
    a_interface: 'text',
    b_resource_id: 'uuid',
    b_interface: 'text',
    medium: 'text',
    speed_mbps: float,
    status: 'text',
    established_at: 'timestamptz',
    severed_at: 'timestamptz',
    severed_reason: 'text',
    aggregate_version: 'int',
  },
  software_installations: {
    id: 'uuid',
    resource_id: 'uuid',
    name: 'text',
    version: 'text',
    kind: 'text',
    ports: 'jsonb',
    config: 'jsonb',
    status: 'text',
    configured_at: 'timestamptz',
    removed_at: 'timestamptz',
    removed_reason: 'text',
    aggregate_version: 'int',
  },
  policies: {
    id: 'uuid',
    name: 'text',
    kind: 'text',
    enforcement: 'text',
    rules: 'jsonb',
    status: 'text',
    set_at: 'timestamptz',
    removed_at: 'timestamptz',
    removed_reason: 'text',
    aggregate_version: 'int',
  },
  interfaces: {
    resource_id: 'uuid',
    name: 'text',
    position: 'int',
    mac: 'text',
    kind: 'text',
    speed_mbps: float,
  },
  interface_addresses: {
    resource_id: 'uuid',
    interface_name: 'text',
    position: 'int',
    address: 'text',
    ip: 'inet',
    prefix_length: 'int',
    network_id: 'uuid',
  },
  policy_targets: { policy_id: 'uuid', resource_id: 'uuid' },
  event_audit: {
    sequence: 'bigint',
    event_id: 'uuid',
    event_type: 'text',
    aggregate_type: 'text',
    aggregate_id: 'uuid',
    aggregate_version: 'int',
    correlation_id: 'uuid',
    causation_id: 'uuid',
    occurred_at: 'timestamptz',
    schema_version: 'int',
  },
} as const satisfies Record<string, ColumnTypes>;

export type WrittenTable = keyof typeof COLUMNS;
