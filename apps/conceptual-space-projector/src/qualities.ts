import type { NetworkInterface } from '@cim/contract';
import type { QualityKey } from './domains.js';

/**
 * Reading qualities from the catalog's payloads. Capacities and measurements are fields of the same
 * name; `virtual_nic` is evidence of virtualisation from the interfaces a resource reports, so the
 * space can tell a VM from a server without being told its type (which would make classification
 * circular): whether all its MAC addresses are ones hypervisors or container runtimes hand out.
 */

/** Vendor prefixes of MAC addresses assigned by hypervisors (VMware, KVM/QEMU, Xen, Hyper-V, VirtualBox, Parallels). */
export const HYPERVISOR_OUIS: ReadonlySet<string> = new Set([
  '00:50:56',
  '00:0c:29',
  '00:05:69',
  '52:54:00',
  '00:16:3e',
  '00:15:5d',
  '08:00:27',
  '00:1c:42',
]);

/**
 * True for a MAC a hypervisor or container runtime would assign: a hypervisor vendor prefix, or a
 * locally administered address (bit 1 of the first octet; Docker's 02:42:…, random veth MACs).
 */
export const isVirtualMac = (mac: string): boolean => {
  const first = Number.parseInt(mac.slice(0, 2), 16);
  return HYPERVISOR_OUIS.has(mac.slice(0, 8)) || (first & 0b10) !== 0;
};

/**
 * 1 when every MAC address the resource reports is one a hypervisor or runtime assigns (a guest), 0
 * when at least one is burned in by a hardware vendor (a host: its tap/veth ports are virtual, its
 * NICs are not), undefined when it reports no MAC at all.
 */
export const virtualNicEvidence = (interfaces: readonly NetworkInterface[]): number | undefined => {
  let macs = 0;
  for (const i of interfaces) {
    if (i.mac === undefined) continue;
    macs++;
    if (!isVirtualMac(i.mac)) return 0;
  }
  return macs === 0 ? undefined : 1;
};

/** Qualities that a ComputeRegistered / ComputeUpdated payload carries (`source: 'capacity'`). */
export const CAPACITY_QUALITIES = [
  'cpu_cores',
  'memory_mb',
  'storage_gb',
  'network_bandwidth_mbps',
  'connection_limit',
  'redundancy',
] as const satisfies readonly QualityKey[];

/** Qualities that a ComputeMeasured payload carries (`source: 'measurement'`). */
export const MEASURED_QUALITIES = [
  'cpu_utilization',
  'memory_utilization',
  'disk_utilization',
  'network_throughput_mbps',
  'disk_iops',
  'latency_ms',
  'uptime_seconds',
  'error_rate',
  'latency_variance',
] as const satisfies readonly QualityKey[];
