import type { NetworkInterface } from '@cim/contract';
import {
  DEVICE_TEMPLATES,
  type InterfaceTemplate,
  NETWORK_ROLES,
  type NetworkRole,
  type PortPool,
  uplinksTo,
} from './interface-templates.js';
import type { PlanningContext } from './planning-context.js';
import { planPolicies } from './policy-planner.js';
import { mediumOf, PortPools } from './port-pools.js';
import { type Draft, type DraftsByType, draftResources, HOST_OF } from './resource-drafts.js';
import { RESOURCE_PROFILES } from './resource-profiles.js';
import { composeSite, REGISTRATION_ORDER, type SiteComposition } from './site-composition.js';
import { SiteNetworks } from './site-networks.js';
import {
  ANOMALY_KINDS,
  type PlannedEndpoint,
  type PlannedInstallation,
  type PlannedLink,
  type PlannedResource,
  type SitePlan,
  siteName,
} from './site-plan.js';
import { softwareFor } from './software-catalog.js';

/** Vendor prefixes of virtual ports: KVM taps on hypervisors, veth pairs on container hosts. */
const PORT_OUI: Partial<Record<PortPool, string>> = { hypervisor: 'fe:54:00', container_host: '0a:58:0a' };

/** Plans the next site of `size` resources: networks, resources, cabling, software and policies. */
export const planSite = (ctx: PlanningContext, index: number, size: number): SitePlan => {
  const name = siteName(index);
  const composition = composeSite(size);
  const byType = draftResources(ctx, name, composition);
  const drafts = REGISTRATION_ORDER.flatMap((t) => byType.get(t) ?? []);
  plantAnomalies(ctx, drafts, index === 0);

  const demand = Object.fromEntries(NETWORK_ROLES.map((r) => [r, 0])) as Record<NetworkRole, number>;
  for (const d of drafts) {
    for (const t of d.interfaces) if (t.network && !holdsGateway(d, t)) demand[t.network]++;
  }
  const networks = new SiteNetworks(name, demand, ctx.addresses, ctx.ids, ctx.idTimestampMs);
  const portCounts = portCountsOf(composition, byType);
  const pools = new PortPools();
  const uplinks: Array<readonly [Draft, PlannedEndpoint, PortPool]> = [];
  const resources = drafts.map((d) => {
    const interfaces: NetworkInterface[] = [];
    const oui = RESOURCE_PROFILES[d.type].oui;
    for (const t of d.interfaces) {
      const ips = t.network
        ? [holdsGateway(d, t) ? networks.gateway(t.network) : networks.allocate(t.network)]
        : [];
      interfaces.push({
        name: t.name,
        ...(!t.noMac && { mac: ctx.macs.next(oui) }),
        ips,
        kind: t.kind,
        speed_mbps: t.speed,
      });
      if (t.uplink) uplinks.push([d, endpoint(d, t.name, t.kind, t.speed), t.uplink]);
    }
    const ports = DEVICE_TEMPLATES[d.type].ports;
    if (ports) {
      const count = ports.count ?? portCounts.get(d) ?? 0;
      const offered: PlannedEndpoint[] = [];
      for (let i = 0; i < count; i++) {
        const portName = `${ports.prefix}${ports.first + i}`;
        const mac = ctx.macs.next(PORT_OUI[ports.pool] ?? oui);
        interfaces.push({ name: portName, mac, ips: [], kind: ports.kind, speed_mbps: ports.speed });
        offered.push(endpoint(d, portName, ports.kind, ports.speed));
      }
      pools.add(ports.pool, offered);
    }
    return register(ctx, d, name, interfaces);
  });

  const links: PlannedLink[] = [];
  const link = (a: PlannedEndpoint, b: PlannedEndpoint) =>
    links.push({
      id: ctx.ids.next(ctx.idTimestampMs),
      a,
      b,
      medium: mediumOf(a, b),
      speed: Math.min(a.speed, b.speed),
    });
  const router = byType.get('router')?.[0];
  if (router) {
    if (ctx.previousWan) link(ctx.previousWan, endpoint(router, 'wan0', 'fiber', 10_000));
    ctx.previousWan = endpoint(router, 'wan1', 'fiber', 10_000);
  }
  for (const [d, from, pool] of uplinks) {
    const port = d.host === undefined ? pools.take(pool) : pools.takeFrom(pool, d.host);
    if (port) link(from, port);
  }

  const installations: PlannedInstallation[] = [];
  for (const r of resources) {
    for (const spec of softwareFor(r.type, r.role, ctx.prng.int(0, 1))) {
      const versionIndex = ctx.prng.int(0, Math.max(0, spec.versions.length - 2));
      installations.push({
        id: ctx.ids.next(ctx.idTimestampMs),
        resourceIndex: r.index,
        resourceId: r.id,
        spec,
        versionIndex,
      });
    }
  }
  const policies = planPolicies(name, resources, () => ctx.ids.next(ctx.idTimestampMs));
  return { index, name, networks: networks.networks, resources, links, installations, policies };
};

const holdsGateway = (d: Draft, t: InterfaceTemplate) => t.gatewayFor !== undefined && d.position === 0;

const endpoint = (
  d: Draft,
  iface: string,
  kind: NetworkInterface['kind'],
  speed: number,
): PlannedEndpoint => ({
  resourceIndex: d.index,
  resourceId: d.id,
  iface,
  kind,
  speed,
});

function portCountsOf(composition: SiteComposition, byType: DraftsByType): Map<Draft, number> {
  const counts = new Map<Draft, number>();
  const drafts = [...byType.values()].flat();
  const demand = (pool: PortPool) =>
    REGISTRATION_ORDER.reduce((s, t) => s + composition[t] * uplinksTo(t, pool), 0);
  const coreEach = Math.max(32, Math.ceil(demand('core') / Math.max(1, composition.layer3_switch) / 8) * 8);
  const routerEach = Math.max(4, Math.ceil(demand('router') / Math.max(1, composition.router)));
  for (const d of drafts) {
    if (d.type === 'layer3_switch') counts.set(d, coreEach);
    else if (d.type === 'router') counts.set(d, routerEach);
    else if (d.host !== undefined) {
      const host = byType.get(HOST_OF[d.type]!)![d.host]!;
      counts.set(host, (counts.get(host) ?? 0) + 1);
    }
  }
  return counts;
}

function plantAnomalies(ctx: PlanningContext, drafts: Draft[], firstSite: boolean): void {
  if (ctx.anomalyRate <= 0) return;
  const candidates = drafts.filter((d) => RESOURCE_PROFILES[d.type].telemetry !== 'facility');
  let count = Math.min(candidates.length, Math.round(drafts.length * ctx.anomalyRate));
  if (count === 0 && firstSite) count = Math.min(1, candidates.length);
  // Partial Fisher–Yates: the first `count` candidates after shuffling are planted.
  for (let i = 0; i < count; i++) {
    const j = ctx.prng.int(i, candidates.length - 1);
    [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
    candidates[i]!.anomaly = ctx.prng.pick(ANOMALY_KINDS);
  }
}

function register(
  ctx: PlanningContext,
  d: Draft,
  site: string,
  interfaces: NetworkInterface[],
): PlannedResource {
  const p = RESOURCE_PROFILES[d.type];
  const { prng } = ctx;
  return {
    index: d.index,
    id: d.id,
    type: d.type,
    hostname: d.hostname,
    site,
    ...(d.role && { role: d.role }),
    ...(d.anomaly && { anomaly: d.anomaly }),
    registration: {
      hostname: d.hostname,
      resource_type: d.type,
      cpu_cores: prng.pick(p.cpuCores),
      memory_mb: prng.pick(p.memoryMb),
      storage_gb: prng.pick(p.storageGb),
      network_bandwidth_mbps: prng.pick(p.bandwidthMbps),
      ...(p.connectionLimit && { connection_limit: prng.pick(p.connectionLimit) }),
      os: prng.pick(p.os),
      site,
      redundancy: prng.pick(p.redundancy),
      interfaces,
      labels: d.labels,
    },
  };
}
