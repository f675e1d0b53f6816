import { formatIssues, type NetworkInterface, payloads, type ResourceTypeName } from '@cim/contract';
import { DiscoveryError } from './errors.js';
import type { Facts, OsFacts } from './facts.js';
import { DISCOVERED_BY, type PlannedCommandOf } from './planned-command.js';
import type { KnownResource } from './state-fold.js';

/** `Debian GNU/Linux 12 (bookworm), kernel 6.1.0-18-amd64 x64`: the `os` field of the resource. */
export const osDescription = (os: OsFacts): string =>
  `${os.distro} ${os.release}${os.codename ? ` (${os.codename})` : ''}, kernel ${os.kernel} ${os.arch}`.trim();

/** The facts' interfaces as the contract normalises them (canonical IPs, default kind), by name. */
export function normalizedInterfaces(facts: Facts): NetworkInterface[] {
  return facts.interfaces.map((i) => {
    const parsed = payloads.NetworkInterface.safeParse({
      name: i.name,
      ...(i.mac !== undefined && { mac: i.mac }),
      ips: i.ips,
      kind: i.kind,
      ...(i.speedMbps !== undefined && { speed_mbps: i.speedMbps }),
    });
    if (!parsed.success) {
      throw new DiscoveryError(
        'INVALID_FACTS',
        `interface '${i.name}' cannot be described to the CIM: ${formatIssues(parsed.error)}`,
      );
    }
    return parsed.data;
  });
}

/** Order-independent identity of an interface, for comparing the stored set with the discovered one. */
const interfaceKey = (i: NetworkInterface): string =>
  JSON.stringify([i.name, i.mac ?? null, [...i.ips].sort(), i.kind, i.speed_mbps ?? null]);

/** `+eth1 −eth2 ~eth0` when the sets differ; undefined when they are equal. */
export function interfaceChange(
  stored: readonly NetworkInterface[],
  found: readonly NetworkInterface[],
): string | undefined {
  const before = new Map(stored.map((i) => [i.name, interfaceKey(i)]));
  const after = new Map(found.map((i) => [i.name, interfaceKey(i)]));
  const parts: string[] = [];
  for (const [name, key] of after) {
    if (!before.has(name)) parts.push(`+${name}`);
    else if (before.get(name) !== key) parts.push(`~${name}`);
  }
  for (const name of before.keys()) if (!after.has(name)) parts.push(`−${name}`);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/**
 * A stored type discovery should not overwrite: inside the machine a container host or hypervisor
 * looks like the server or VM it runs on, so an operator's more specific type is kept.
 */
const KEEPS: Record<string, readonly ResourceTypeName[]> = {
  physical_server: ['container_host', 'hypervisor'],
  virtual_machine: ['container_host'],
};

/** The compute command for the facts: register when no active resource has the hostname, else update what changed. */
export function planCompute(
  facts: Facts,
  hostname: string,
  resource: KnownResource | undefined,
): PlannedCommandOf<'compute.register'> | PlannedCommandOf<'compute.update'> | undefined {
  const found = {
    resource_type: facts.platform.resourceType,
    cpu_cores: facts.cpu.cores,
    memory_mb: facts.memoryMb,
    storage_gb: facts.storage.totalGb,
    os: osDescription(facts.os),
  };
  const interfaces = normalizedInterfaces(facts);
  if (!resource) {
    return {
      name: 'compute.register',
      payload: { hostname, ...found, interfaces, labels: { discovered_by: DISCOVERED_BY } },
      reason: `new ${found.resource_type} (${facts.platform.decidedBy})`,
    };
  }
  const changed: Partial<typeof found> & { interfaces?: NetworkInterface[] } = {};
  const said: string[] = [];
  const stored = resource.resource_type;
  const keep =
    stored !== undefined && (KEEPS[found.resource_type] ?? []).includes(stored as ResourceTypeName);
  if (stored !== found.resource_type && !keep) {
    changed.resource_type = found.resource_type;
    said.push(`resource_type ${stored ?? '–'} → ${found.resource_type}`);
  }
  for (const field of ['cpu_cores', 'memory_mb', 'storage_gb', 'os'] as const) {
    if (resource[field] !== found[field]) {
      Object.assign(changed, { [field]: found[field] });
      said.push(`${field} ${resource[field] ?? '–'} → ${found[field]}`);
    }
  }
  const ifaces = interfaceChange(resource.interfaces, interfaces);
  if (ifaces !== undefined) {
    changed.interfaces = interfaces;
    said.push(`interfaces ${ifaces}`);
  }
  if (said.length === 0) return undefined;
  return {
    name: 'compute.update',
    payload: { resource_id: resource.id, ...changed },
    reason: said.join(', '),
  };
}
