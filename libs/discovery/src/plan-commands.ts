import { formatIssues, Hostname } from '@cim/contract';
import { DiscoveryError } from './errors.js';
import type { Facts } from './facts.js';
import { normalizedInterfaces, planCompute } from './plan-compute.js';
import { planNetworks } from './plan-networks.js';
import { planSoftware } from './plan-software.js';
import { PENDING_RESOURCE_ID, type PlannedCommand, type PlannedCommandOf } from './planned-command.js';
import { DEFAULT_SOFTWARE_ALLOWLIST, type SoftwareMode } from './select-software.js';
import type { CurrentState } from './state-fold.js';

/** Options of {@link planCommands}. */
export interface PlanOptions {
  /** Which installed software to model. Default `services` (see {@link SoftwareMode}). */
  software?: SoftwareMode;
  /** Patterns always modelled in `services` mode. Default {@link DEFAULT_SOFTWARE_ALLOWLIST}. */
  softwareAllowlist?: readonly string[];
}

const percent = (ratio: number): string => `${Math.round(ratio * 100)}%`;

/** The measurement every run records. */
function planMeasurement(facts: Facts, resourceId: string): PlannedCommandOf<'compute.record-measurement'> {
  const u = facts.utilization;
  return {
    name: 'compute.record-measurement',
    payload: {
      resource_id: resourceId,
      cpu_utilization: u.cpu,
      memory_utilization: u.memory,
      disk_utilization: u.disk,
      network_throughput_mbps: u.networkMbps,
      uptime_seconds: u.uptimeSeconds,
      measured_at: facts.collectedAt,
    },
    reason: `cpu ${percent(u.cpu)}, memory ${percent(u.memory)}, disk ${percent(u.disk)}, ${u.networkMbps.toFixed(2)} Mbit/s`,
  };
}

/**
 * The commands that bring the CIM's model of this machine in line with its facts, in the order they
 * must be sent: register (no active resource has the hostname) or update (only changed fields;
 * interfaces as a full replacement), network definitions for interface networks not yet defined,
 * software to configure, software to remove, and always one measurement. Pure: with unchanged facts a
 * second plan is the measurement alone. Commands that need the id of a resource still to be
 * registered carry {@link PENDING_RESOURCE_ID}.
 *
 * @throws DiscoveryError `INVALID_FACTS` when the hostname or an interface breaks the contract.
 */
export function planCommands(
  facts: Facts,
  current: CurrentState,
  options: PlanOptions = {},
): PlannedCommand[] {
  const host = Hostname.safeParse(facts.hostname);
  if (!host.success) {
    throw new DiscoveryError(
      'INVALID_FACTS',
      `this machine's hostname cannot name a CIM resource: ${formatIssues(host.error)}`,
    );
  }
  const compute = planCompute(facts, host.data, current.resource);
  const resourceId = current.resource?.id ?? PENDING_RESOURCE_ID;
  return [
    ...(compute ? [compute] : []),
    ...planNetworks(normalizedInterfaces(facts), current.definedCidrs, facts.defaultGateway),
    ...planSoftware(
      facts,
      resourceId,
      current.resource ? current.software : [],
      options.software ?? 'services',
      options.softwareAllowlist ?? DEFAULT_SOFTWARE_ALLOWLIST,
    ),
    planMeasurement(facts, resourceId),
  ];
}
