/**
 * Test fixture: an independent in-memory fold of the event stream into the read model, written
 * without model.ts. It applies events one at a time to plain objects and derives each address's
 * network at the end by brute force over all networks, so agreement with the adapter (which folds
 * batches, compacts writes and relinks in SQL) is evidence, not a tautology.
 */
import { categoryOf, cidrContains, type InfrastructureEvent } from '@cim/contract';
import type { StreamEvent } from '@cim/projection-kit';
import { emptySnapshot, iso, type ModelSnapshot } from './snapshot.fixture.js';

type Row = Record<string, unknown>;

const patch = (rows: Record<string, Row>, id: string, changes: Row) => {
  const row = rows[id];
  if (!row) return;
  for (const [k, v] of Object.entries(changes)) if (v !== undefined) row[k] = v;
};

const removed = (e: InfrastructureEvent & { payload: { reason?: string } }) => ({
  status: 'removed',
  removed_at: iso(e.occurred_at),
  removed_reason: e.payload.reason ?? null,
  aggregate_version: e.aggregate_version,
});

const MEASURES = [
  'cpu_utilization',
  'memory_utilization',
  'disk_utilization',
  'network_throughput_mbps',
  'disk_iops',
  'uptime_seconds',
  'error_rate',
  'latency_ms',
  'latency_variance',
] as const;

interface Ips {
  [key: string]: { address: string };
}

const setInterfaces = (m: ModelSnapshot, ips: Ips, id: string, list: readonly InterfaceInput[]) => {
  for (const key of Object.keys(m.interfaces)) if (key.startsWith(`${id}/`)) delete m.interfaces[key];
  for (const key of Object.keys(ips)) if (key.startsWith(`${id}/`)) delete ips[key];
  list.forEach((iface, position) => {
    m.interfaces[`${id}/${iface.name}`] = {
      position,
      mac: iface.mac ?? null,
      kind: iface.kind,
      speed_mbps: iface.speed_mbps ?? null,
    };
    iface.ips.forEach((address, i) => {
      ips[`${id}/${iface.name}/${i}`] = { address };
    });
  });
};

interface InterfaceInput {
  name: string;
  mac?: string | undefined;
  kind: string;
  speed_mbps?: number | undefined;
  ips: string[];
}

const apply = (m: ModelSnapshot, ips: Ips, targets: Map<string, Set<string>>, item: StreamEvent) => {
  const e = item.event;
  const id = e.aggregate_id;
  const at = iso(e.occurred_at);
  const version = e.aggregate_version;
  m.event_audit.push({
    sequence: item.sequence,
    event_id: e.event_id,
    event_type: e.event_type,
    aggregate_type: e.aggregate_type,
    aggregate_id: id,
    aggregate_version: version,
    correlation_id: e.correlation_id,
    causation_id: e.causation_id,
    occurred_at: at,
    schema_version: e.schema_version,
  });
  m.checkpoint = item.sequence;
  switch (e.event_type) {
    case 'ComputeRegistered': {
      const p = e.payload;
      const row: Row = {
        hostname: p.hostname,
        resource_type: p.resource_type,
        category: categoryOf(p.resource_type),
        status: 'active',
        os: p.os ?? null,
        site: p.site ?? null,
        labels: p.labels,
        measured_at: null,
        registered_at: at,
        updated_at: at,
        decommissioned_at: null,
        decommission_reason: null,
        aggregate_version: version,
      };
      for (const k of [
        'cpu_cores',
        'memory_mb',
        'storage_gb',
        'network_bandwidth_mbps',
        'connection_limit',
        'redundancy',
      ] as const)
        row[k] = p[k] ?? null;
      for (const k of MEASURES) row[k] = null;
      m.compute_resources[id] = row;
      setInterfaces(m, ips, id, p.interfaces);
      return;
    }
    case 'ComputeUpdated': {
      const { interfaces, resource_type, ...rest } = e.payload;
      if (!m.compute_resources[id]) return;
      patch(m.compute_resources, id, { ...rest, updated_at: at, aggregate_version: version });
      if (resource_type)
        patch(m.compute_resources, id, { resource_type, category: categoryOf(resource_type) });
      if (interfaces) setInterfaces(m, ips, id, interfaces);
      return;
    }
    case 'ComputeDecommissioned':
      return patch(m.compute_resources, id, {
        status: 'decommissioned',
        decommissioned_at: at,
        decommission_reason: e.payload.reason ?? null,
        updated_at: at,
        aggregate_version: version,
      });
    case 'ComputeMeasured': {
      const { measured_at, ...qualities } = e.payload;
      return patch(m.compute_resources, id, {
        ...qualities,
        measured_at: iso(measured_at ?? e.occurred_at),
        aggregate_version: version,
      });
    }
    case 'NetworkDefined': {
      const p = e.payload;
      m.networks[id] = {
        name: p.name,
        cidr: p.cidr,
        vlan_id: p.vlan_id ?? null,
        gateway: p.gateway ?? null,
        site: p.site ?? null,
        status: 'active',
        defined_at: at,
        updated_at: at,
        removed_at: null,
        removed_reason: null,
        aggregate_version: version,
      };
      return;
    }
    case 'NetworkUpdated':
      return patch(m.networks, id, { ...e.payload, updated_at: at, aggregate_version: version });
    case 'NetworkRemoved':
      return patch(m.networks, id, removed(e));
    case 'ConnectionEstablished': {
      const p = e.payload;
      m.connections[id] = {
        a_resource_id: p.a.resource_id,
        a_interface: p.a.interface,
        b_resource_id: p.b.resource_id,
        b_interface: p.b.interface,
        medium: p.medium,
        speed_mbps: p.speed_mbps ?? null,
        status: 'active',
        established_at: at,
        severed_at: null,
        severed_reason: null,
        aggregate_version: version,
      };
      return;
    }
    case 'ConnectionSevered':
      return patch(m.connections, id, {
        status: 'severed',
        severed_at: at,
        severed_reason: e.payload.reason ?? null,
        aggregate_version: version,
      });
    case 'SoftwareConfigured': {
      const { resource_id, name, version: release, kind, ports, config } = e.payload;
      m.software_installations[id] = {
        resource_id,
        name,
        version: release,
        kind,
        ports,
        config,
        status: 'installed',
        configured_at: at,
        removed_at: null,
        removed_reason: null,
        aggregate_version: version,
      };
      return;
    }
    case 'SoftwareRemoved':
      return patch(m.software_installations, id, removed(e));
    case 'PolicySet': {
      const { name, kind, enforcement, rules, target_ids } = e.payload;
      m.policies[id] = {
        name,
        kind,
        enforcement,
        rules,
        status: 'active',
        set_at: at,
        removed_at: null,
        removed_reason: null,
        aggregate_version: version,
      };
      targets.set(id, new Set(target_ids));
      return;
    }
    case 'PolicyRemoved':
      return patch(m.policies, id, removed(e));
  }
};

/** The network an address belongs to: the longest active prefix containing it, ties by smallest id. */
const networkOf = (m: ModelSnapshot, address: string): string | null => {
  let best: { id: string; prefix: number } | null = null;
  for (const [id, n] of Object.entries(m.networks)) {
    if (n.status !== 'active' || !cidrContains(String(n.cidr), address)) continue;
    const prefix = Number(String(n.cidr).split('/')[1]);
    if (!best || prefix > best.prefix || (prefix === best.prefix && id < best.id)) best = { id, prefix };
  }
  return best?.id ?? null;
};

/** The read model a correct projection of `events` has. */
export const referenceModel = (events: readonly StreamEvent[]): ModelSnapshot => {
  const m = emptySnapshot();
  const ips: Ips = {};
  const targets = new Map<string, Set<string>>();
  for (const item of events) apply(m, ips, targets, item);
  for (const [key, { address }] of Object.entries(ips)) {
    const slash = address.lastIndexOf('/');
    m.interface_addresses[key] = {
      address,
      prefix_length: Number(address.slice(slash + 1)),
      network_id: networkOf(m, address),
    };
  }
  m.policy_targets = [...targets].flatMap(([p, set]) => [...set].map((r) => `${p}/${r}`)).sort();
  return m;
};
