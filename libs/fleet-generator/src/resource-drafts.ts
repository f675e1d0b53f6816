import type { InterfaceTemplate, PortPool } from './interface-templates.js';
import { DEVICE_TEMPLATES } from './interface-templates.js';
import type { PlanningContext } from './planning-context.js';
import { type GeneratedResourceType, RESOURCE_PROFILES } from './resource-profiles.js';
import { REGISTRATION_ORDER, type SiteComposition } from './site-composition.js';
import type { AnomalyKind } from './site-plan.js';
import { WORKLOAD_ROLES, type WorkloadRole } from './software-catalog.js';

/** A resource of a site before its addresses, ports and capacities are chosen. */
export interface Draft {
  readonly index: number;
  readonly id: string;
  readonly type: GeneratedResourceType;
  /** Position among the site's resources of this type. */
  readonly position: number;
  readonly role?: WorkloadRole;
  readonly hostname: string;
  readonly labels: Record<string, string>;
  readonly interfaces: readonly InterfaceTemplate[];
  /** Position of the host in its pool, for VMs and containers. */
  readonly host?: number;
  anomaly?: AnomalyKind;
}

/** A site's drafts by type, each list in position order. */
export type DraftsByType = ReadonlyMap<GeneratedResourceType, readonly Draft[]>;

const WORKLOAD_TYPES = new Set<GeneratedResourceType>(['virtual_machine', 'container', 'physical_server']);
const ROLE_WEIGHTS = WORKLOAD_ROLES.map(([, w]) => w);
const ROLE_TOTAL = ROLE_WEIGHTS.reduce((a, b) => a + b, 0);
const ENVS = ['prod', 'prod', 'prod', 'prod', 'prod', 'prod', 'prod', 'staging', 'staging', 'dev'];
const TEAMS = ['payments', 'search', 'platform', 'data', 'identity', 'web', 'mobile', 'analytics'];
/** Host type of each guest type: VMs run on hypervisors, containers on container hosts. */
export const HOST_OF: Partial<Record<GeneratedResourceType, GeneratedResourceType & PortPool>> = {
  virtual_machine: 'hypervisor',
  container: 'container_host',
};
const DMZ_WEB_SHARE = 0.3;
const DEVICES_PER_RACK = 20;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Drafts the resources of a site in registration order: id, host name (`web-vm-007.fra1.infra.internal`),
 * workload role, labels (site, rack, role, env, team, host, zone) and interfaces. VMs and containers are
 * spread round-robin over the site's hypervisors and container hosts; 30% of web VMs sit in the DMZ.
 */
export function draftResources(
  ctx: PlanningContext,
  site: string,
  composition: SiteComposition,
): DraftsByType {
  const { prng } = ctx;
  const byType = new Map<GeneratedResourceType, Draft[]>();
  let racked = 0;
  for (const type of REGISTRATION_ORDER) {
    const profile = RESOURCE_PROFILES[type];
    const hostType = HOST_OF[type];
    const hosts = hostType ? (byType.get(hostType) ?? []) : [];
    const drafts: Draft[] = [];
    byType.set(type, drafts);
    for (let position = 0; position < composition[type]; position++) {
      const labels: Record<string, string> = { site };
      let role: WorkloadRole | undefined;
      let interfaces = DEVICE_TEMPLATES[type].interfaces;
      if (WORKLOAD_TYPES.has(type)) {
        role = WORKLOAD_ROLES[prng.weighted(ROLE_WEIGHTS, ROLE_TOTAL)]![0];
        Object.assign(labels, { role, env: prng.pick(ENVS), team: prng.pick(TEAMS) });
        if (type === 'virtual_machine' && role === 'web' && prng.chance(DMZ_WEB_SHARE)) {
          labels.zone = 'dmz';
          interfaces = interfaces.map((t) => (t.network ? { ...t, network: 'dmz' as const } : t));
        }
      }
      if (profile.racked) labels.rack = `r${pad(Math.floor(racked++ / DEVICES_PER_RACK) + 1, 2)}`;
      const host = hosts.length > 0 ? position % hosts.length : undefined;
      if (host !== undefined) labels.host = hosts[host]!.hostname.split('.')[0]!;
      const label = `${role ? `${role}-` : ''}${profile.prefix}-${pad(position + 1, 3)}`;
      drafts.push({
        index: ctx.nextResourceIndex++,
        id: ctx.ids.next(ctx.idTimestampMs),
        type,
        position,
        ...(role && { role }),
        hostname: `${label}.${site}.infra.internal`,
        labels,
        interfaces,
        ...(host !== undefined && { host }),
      });
    }
  }
  return byType;
}
