import { z } from 'zod';
import { ResourceType } from './resource-types.js';
import { Capacity, Cidr, Hostname, IpWithPrefix, MacAddress, Port, Ratio, VlanId } from './value-objects.js';

/** Payload schemas of the current schema version of every event; the TypeScript types derive from them. */

/**
 * Whether a field other than `except` is set. A for-in loop, not Object.entries/values: decoding runs
 * it on every measurement event, and those built an array per field (11% of the bytes a replay
 * allocated, all of it work for the young-generation GC).
 */
const someFieldSet = (payload: Record<string, unknown>, except?: string): boolean => {
  for (const key in payload) if (key !== except && payload[key] !== undefined) return true;
  return false;
};

export const InterfaceKind = z.enum([
  'ethernet',
  'wireless',
  'fiber',
  'virtual',
  'loopback',
  'bond',
  'bridge',
  'other',
]);

/** A network interface of a compute resource. */
export const NetworkInterface = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'interface name must not be empty')
    .max(64, 'interface name is at most 64 characters'),
  mac: MacAddress.optional(),
  ips: z.array(IpWithPrefix).default([]),
  kind: InterfaceKind.default('ethernet'),
  speed_mbps: Capacity.optional(),
});
export type NetworkInterface = z.infer<typeof NetworkInterface>;

export const ResourceStatus = z.enum(['active', 'maintenance', 'degraded', 'offline']);

const capacities = {
  cpu_cores: Capacity.optional(),
  memory_mb: Capacity.optional(),
  storage_gb: Capacity.optional(),
  network_bandwidth_mbps: Capacity.optional(),
  connection_limit: Capacity.optional(),
};

const uniqueInterfaces = (ifaces: NetworkInterface[] | undefined, ctx: z.RefinementCtx) => {
  const names = new Set<string>();
  const macs = new Set<string>();
  for (const iface of ifaces ?? []) {
    if (names.has(iface.name))
      ctx.addIssue({ code: 'custom', message: `duplicate interface name '${iface.name}'` });
    names.add(iface.name);
    if (iface.mac !== undefined) {
      if (macs.has(iface.mac))
        ctx.addIssue({ code: 'custom', message: `duplicate MAC address '${iface.mac}'` });
      macs.add(iface.mac);
    }
  }
};

export const ComputeRegistered = z.object({
  hostname: Hostname,
  resource_type: ResourceType,
  ...capacities,
  os: z.string().optional(),
  site: z.string().optional(),
  redundancy: Capacity.optional(),
  interfaces: z.array(NetworkInterface).default([]).superRefine(uniqueInterfaces),
  labels: z.record(z.string(), z.string()).default({}),
});

export const ComputeUpdated = z
  .object({
    hostname: Hostname.optional(),
    resource_type: ResourceType.optional(),
    ...capacities,
    os: z.string().optional(),
    site: z.string().optional(),
    redundancy: Capacity.optional(),
    status: ResourceStatus.optional(),
    /** When present, the full new set of interfaces. */
    interfaces: z.array(NetworkInterface).optional().superRefine(uniqueInterfaces),
    /** When present, the full new set of labels (replaces, does not merge). */
    labels: z.record(z.string(), z.string()).optional(),
  })
  .refine((p) => someFieldSet(p), 'an update must change at least one field');

export const ComputeDecommissioned = z.object({ reason: z.string().optional() });

/** Measured qualities of a compute resource at one instant. */
export const ComputeMeasured = z
  .object({
    cpu_utilization: Ratio.optional(),
    memory_utilization: Ratio.optional(),
    disk_utilization: Ratio.optional(),
    network_throughput_mbps: Capacity.optional(),
    disk_iops: Capacity.optional(),
    uptime_seconds: Capacity.optional(),
    error_rate: Ratio.optional(),
    latency_ms: Capacity.optional(),
    latency_variance: Capacity.optional(),
    measured_at: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((p) => someFieldSet(p, 'measured_at'), 'a measurement must carry at least one quality');

export const NetworkDefined = z.object({
  name: z.string().trim().min(1, 'network name must not be empty'),
  cidr: Cidr,
  vlan_id: VlanId.optional(),
  gateway: z.union([z.ipv4(), z.ipv6()]).optional(),
  site: z.string().optional(),
});

export const NetworkUpdated = z
  .object({
    name: z.string().trim().min(1).optional(),
    vlan_id: VlanId.nullable().optional(),
    gateway: z.union([z.ipv4(), z.ipv6()]).nullable().optional(),
    site: z.string().optional(),
  })
  .refine((p) => someFieldSet(p), 'an update must change at least one field');

export const NetworkRemoved = z.object({ reason: z.string().optional() });

export const Endpoint = z.object({ resource_id: z.uuid(), interface: z.string().min(1) });

export const ConnectionEstablished = z
  .object({
    a: Endpoint,
    b: Endpoint,
    medium: z.enum(['copper', 'fiber', 'wireless', 'virtual']).default('copper'),
    speed_mbps: Capacity.optional(),
  })
  .refine((p) => !(p.a.resource_id === p.b.resource_id && p.a.interface === p.b.interface), {
    message: 'a connection cannot join an interface to itself',
  });

export const ConnectionSevered = z.object({ reason: z.string().optional() });

export const SoftwareConfigured = z.object({
  resource_id: z.uuid(),
  name: z.string().trim().min(1, 'software name must not be empty'),
  version: z.string().trim().min(1, 'software version must not be empty'),
  kind: z.enum(['package', 'service', 'container_image', 'firmware', 'os']).default('package'),
  ports: z.array(Port).default([]),
  config: z.record(z.string(), z.unknown()).default({}),
});

export const SoftwareRemoved = z.object({ reason: z.string().optional() });

export const PolicySet = z.object({
  name: z.string().trim().min(1, 'policy name must not be empty'),
  kind: z.enum(['security', 'backup', 'patching', 'access', 'compliance', 'monitoring']),
  target_ids: z.array(z.uuid()).min(1, 'a policy needs at least one target'),
  enforcement: z.enum(['enforce', 'audit']).default('enforce'),
  rules: z.record(z.string(), z.unknown()).default({}),
});

export const PolicyRemoved = z.object({ reason: z.string().optional() });
