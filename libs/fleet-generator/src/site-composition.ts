import { uplinksTo } from './interface-templates.js';
import type { GeneratedResourceType } from './resource-profiles.js';

/** Types in the order a site registers them: network core first, guests last (after their hosts). */
export const REGISTRATION_ORDER: readonly GeneratedResourceType[] = [
  'router',
  'firewall',
  'layer3_switch',
  'switch',
  'san_switch',
  'load_balancer',
  'waf',
  'ids',
  'vpn_gateway',
  'storage_array',
  'nas',
  'hypervisor',
  'container_host',
  'physical_server',
  'backup_appliance',
  'monitoring_appliance',
  'auth_server',
  'appliance',
  'pbx',
  'video_conference',
  'access_point',
  'edge_device',
  'iot_gateway',
  'sensor',
  'pdu',
  'ups',
  'environmental_monitor',
  'virtual_machine',
  'container',
];

/** Smallest site that gets a network core; smaller sites are a few standalone servers. */
export const MIN_STRUCTURED_SITE = 8;

/** Ports of an access or SAN switch. */
export const SWITCH_PORTS = 48;

/** Share of the remaining (guest) resources that are VMs; the rest are containers. */
const VM_SHARE = 0.66;

/** One device per `every` resources, at least `min`; types never trimmed from a small site have min 1. */
const ONE_PER: ReadonlyArray<readonly [GeneratedResourceType, every: number, min: number]> = [
  ['router', 125, 1],
  ['firewall', 125, 1],
  ['layer3_switch', 125, 1],
  ['hypervisor', 20, 1],
  ['container_host', 25, 1],
  ['load_balancer', 125, 0],
  ['waf', 250, 0],
  ['ids', 250, 0],
  ['vpn_gateway', 250, 0],
  ['storage_array', 250, 0],
  ['nas', 250, 0],
  ['physical_server', 16, 0],
  ['backup_appliance', 250, 0],
  ['monitoring_appliance', 250, 0],
  ['auth_server', 250, 0],
  ['appliance', 500, 0],
  ['pbx', 500, 0],
  ['video_conference', 250, 0],
  ['access_point', 100, 0],
  ['edge_device', 250, 0],
  ['iot_gateway', 250, 0],
  ['sensor', 125, 0],
  ['pdu', 62.5, 0],
  ['ups', 250, 0],
  ['environmental_monitor', 250, 0],
];

/** Number of resources of each type in a site. */
export type SiteComposition = Readonly<Record<GeneratedResourceType, number>>;

const demand = (counts: Record<GeneratedResourceType, number>, pool: 'access' | 'san'): number =>
  REGISTRATION_ORDER.reduce((sum, type) => sum + counts[type] * uplinksTo(type, pool), 0);

/**
 * Realistic proportions for a site of `size` resources, summing to exactly `size`: about 70% VMs and
 * containers, 15% physical servers, hypervisors and container hosts, the rest network, security,
 * storage, power and edge devices; access and SAN switches sized to the ports their devices need.
 */
export const composeSite = (size: number): SiteComposition => {
  const counts = Object.fromEntries(REGISTRATION_ORDER.map((t) => [t, 0])) as Record<
    GeneratedResourceType,
    number
  >;
  if (size < MIN_STRUCTURED_SITE) {
    counts.physical_server = size;
    return counts;
  }
  for (const [type, every, min] of ONE_PER) counts[type] = Math.max(min, Math.round(size / every));
  counts.switch = Math.max(1, Math.ceil(demand(counts, 'access') / SWITCH_PORTS));
  const storage = counts.storage_array + counts.nas;
  counts.san_switch = storage > 0 ? Math.max(1, Math.ceil(demand(counts, 'san') / SWITCH_PORTS)) : 0;
  let rest = size - REGISTRATION_ORDER.reduce((sum, type) => sum + counts[type], 0);
  // Small sites: give up optional devices, largest count first, until the guests fit (rest ≥ 0).
  while (rest < 0) {
    const [type] = ONE_PER.filter(([, , min]) => min === 0).reduce((a, b) =>
      counts[b[0]] > counts[a[0]] ? b : a,
    );
    counts[type]--;
    rest++;
  }
  counts.virtual_machine = Math.round(rest * VM_SHARE);
  counts.container = rest - counts.virtual_machine;
  return counts;
};
