import { categoryOf, type EventOf, type NetworkInterface } from '@cim/contract';
import type { AddressRow, Effect, InterfaceRow, ResourceRow } from './effects.js';
import type { ModelState } from './model-state.js';

const CAPACITIES = [
  'cpu_cores',
  'memory_mb',
  'storage_gb',
  'network_bandwidth_mbps',
  'connection_limit',
  'redundancy',
] as const;

/** Copies the keys whose value is defined (undefined means "not in this event", so "keep"). */
export const definedOf = <T extends object, K extends keyof T>(source: T, keys: readonly K[]) => {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
};

const interfacesEffect = (
  state: ModelState,
  resourceId: string,
  list: readonly NetworkInterface[],
): Effect => {
  const interfaces: InterfaceRow[] = [];
  const addresses: AddressRow[] = [];
  list.forEach((iface, position) => {
    interfaces.push({
      resource_id: resourceId,
      name: iface.name,
      position,
      mac: iface.mac ?? null,
      kind: iface.kind,
      speed_mbps: iface.speed_mbps ?? null,
    });
    iface.ips.forEach((address, i) => {
      const slash = address.lastIndexOf('/');
      addresses.push({
        resource_id: resourceId,
        interface_name: iface.name,
        position: i,
        address,
        ip: address.slice(0, slash),
        prefix_length: Number(address.slice(slash + 1)),
        network_id: state.networks.networkFor(address),
      });
    });
  });
  return { kind: 'interfaces', resource_id: resourceId, interfaces, addresses };
};

/** A registration puts the whole row and the interface list. */
export const registered = (state: ModelState, e: EventOf<'ComputeRegistered'>): Effect[] => {
  const p = e.payload;
  const row: ResourceRow = {
    id: e.aggregate_id,
    hostname: p.hostname,
    resource_type: p.resource_type,
    category: categoryOf(p.resource_type),
    status: 'active',
    cpu_cores: p.cpu_cores ?? null,
    memory_mb: p.memory_mb ?? null,
    storage_gb: p.storage_gb ?? null,
    network_bandwidth_mbps: p.network_bandwidth_mbps ?? null,
    connection_limit: p.connection_limit ?? null,
    redundancy: p.redundancy ?? null,
    os: p.os ?? null,
    site: p.site ?? null,
    labels: p.labels,
    cpu_utilization: null,
    memory_utilization: null,
    disk_utilization: null,
    network_throughput_mbps: null,
    disk_iops: null,
    uptime_seconds: null,
    error_rate: null,
    latency_ms: null,
    latency_variance: null,
    measured_at: null,
    registered_at: e.occurred_at,
    updated_at: e.occurred_at,
    decommissioned_at: null,
    decommission_reason: null,
    aggregate_version: e.aggregate_version,
  };
  return [
    { kind: 'put', table: 'compute_resources', row },
    interfacesEffect(state, e.aggregate_id, p.interfaces),
  ];
};

/**
 * A measurement patches the qualities it carries (each its own column; absent means "keep"), when
 * it was measured and the version. Spelled out rather than a loop over the quality names and a
 * spread of its result: four events in five are measurements. With the write plan's in-place merges,
 * the fold of a generated replay went from 5.6–7.0 to 2.3–3.4 µs an event (measured in isolation).
 */
export const measured = (e: EventOf<'ComputeMeasured'>): Partial<ResourceRow> => {
  const p = e.payload;
  const set: Partial<ResourceRow> = {};
  if (p.cpu_utilization !== undefined) set.cpu_utilization = p.cpu_utilization;
  if (p.memory_utilization !== undefined) set.memory_utilization = p.memory_utilization;
  if (p.disk_utilization !== undefined) set.disk_utilization = p.disk_utilization;
  if (p.network_throughput_mbps !== undefined) set.network_throughput_mbps = p.network_throughput_mbps;
  if (p.disk_iops !== undefined) set.disk_iops = p.disk_iops;
  if (p.uptime_seconds !== undefined) set.uptime_seconds = p.uptime_seconds;
  if (p.error_rate !== undefined) set.error_rate = p.error_rate;
  if (p.latency_ms !== undefined) set.latency_ms = p.latency_ms;
  if (p.latency_variance !== undefined) set.latency_variance = p.latency_variance;
  set.measured_at = p.measured_at ?? e.occurred_at;
  set.aggregate_version = e.aggregate_version;
  return set;
};

/** An update patches the fields it carries; an interface list replaces the old one. */
export const updated = (state: ModelState, e: EventOf<'ComputeUpdated'>): Effect[] => {
  const p = e.payload;
  const set: Partial<ResourceRow> = {
    ...definedOf(p, ['hostname', 'status', 'os', 'site', 'labels', ...CAPACITIES]),
    ...(p.resource_type !== undefined && {
      resource_type: p.resource_type,
      category: categoryOf(p.resource_type),
    }),
    updated_at: e.occurred_at,
    aggregate_version: e.aggregate_version,
  };
  const effects: Effect[] = [{ kind: 'patch', table: 'compute_resources', id: e.aggregate_id, set }];
  if (p.interfaces !== undefined) effects.push(interfacesEffect(state, e.aggregate_id, p.interfaces));
  return effects;
};
