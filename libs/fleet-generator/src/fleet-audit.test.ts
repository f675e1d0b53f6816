import { cidrContains, type InfrastructureEvent } from '@cim/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FleetOptions } from './fleet-options.js';
import { generateFleet } from './generate-fleet.js';

/** What a sequential projector would need to hold to apply the stream; checked as it is replayed. */
interface Audit {
  violations: string[];
  ips: number;
  connections: number;
}

const CREATES = new Set(['ComputeRegistered', 'NetworkDefined', 'ConnectionEstablished']);
const REMOVES = new Set([
  'ComputeDecommissioned',
  'NetworkRemoved',
  'ConnectionSevered',
  'SoftwareRemoved',
  'PolicyRemoved',
]);

const ipToInt = (ip: string) => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);

/**
 * Replays events and reports every broken invariant: versions 1..n without gaps, no reference to an
 * aggregate not yet created or already removed, IPs unique and inside a network of their site (not
 * its network or broadcast address), MACs unique, each interface in at most one live connection,
 * resources stripped of connections and software before they are decommissioned, causation known.
 */
const auditFleet = (events: Iterable<InfrastructureEvent>): Audit => {
  const violations: string[] = [];
  const aggregates = new Map<string, { type: string; version: number; alive: boolean }>();
  const interfaces = new Map<string, Set<string>>();
  const networks = new Map<string, string[]>();
  const ips = new Set<string>();
  const macs = new Set<string>();
  const wired = new Map<string, string>();
  const connections = new Map<string, readonly [string, string]>();
  const software = new Map<string, string>();
  const eventIds = new Set<string>();
  const fail = (e: InfrastructureEvent, why: string) =>
    violations.push(`${e.event_type} #${eventIds.size}: ${why}`);
  const live = (id: string, type: string) =>
    aggregates.get(id)?.alive === true && aggregates.get(id)?.type === type;

  for (const e of events) {
    const prior = aggregates.get(e.aggregate_id);
    if (e.aggregate_version !== (prior?.version ?? 0) + 1)
      fail(e, `version ${e.aggregate_version} after ${prior?.version}`);
    if (prior && !prior.alive) fail(e, `aggregate ${e.aggregate_id} was already removed`);
    if (prior && CREATES.has(e.event_type)) fail(e, `aggregate ${e.aggregate_id} already exists`);
    if (
      !prior &&
      !CREATES.has(e.event_type) &&
      e.event_type !== 'SoftwareConfigured' &&
      e.event_type !== 'PolicySet'
    ) {
      fail(e, `aggregate ${e.aggregate_id} does not exist`);
    }
    if (e.correlation_id !== e.causation_id && !eventIds.has(e.causation_id))
      fail(e, 'causation is no earlier event');
    aggregates.set(e.aggregate_id, {
      type: e.aggregate_type,
      version: e.aggregate_version,
      alive: !REMOVES.has(e.event_type),
    });
    eventIds.add(e.event_id);

    switch (e.event_type) {
      case 'NetworkDefined': {
        const site = e.payload.site ?? '';
        networks.set(site, [...(networks.get(site) ?? []), e.payload.cidr]);
        break;
      }
      case 'ComputeRegistered': {
        const names = new Set<string>();
        for (const iface of e.payload.interfaces) {
          names.add(iface.name);
          if (iface.mac !== undefined) {
            if (macs.has(iface.mac)) fail(e, `MAC ${iface.mac} repeated`);
            macs.add(iface.mac);
          }
          for (const ip of iface.ips) {
            const [host = '', prefix] = ip.split('/');
            if (ips.has(host)) fail(e, `IP ${host} repeated`);
            ips.add(host);
            const homes = (networks.get(e.payload.site ?? '') ?? []).filter((cidr) => cidrContains(cidr, ip));
            if (homes.length !== 1)
              fail(e, `IP ${ip} lies in ${homes.length} networks of site ${e.payload.site}`);
            const [net = '', bits = ''] = homes[0]?.split('/') ?? [];
            if (homes[0] && bits !== prefix) fail(e, `IP ${ip} has another prefix than ${homes[0]}`);
            const offset = ipToInt(host) - ipToInt(net);
            if (homes[0] && (offset === 0 || offset === 2 ** (32 - Number(bits)) - 1))
              fail(e, `IP ${ip} is not a host address`);
          }
        }
        interfaces.set(e.aggregate_id, names);
        break;
      }
      case 'ConnectionEstablished': {
        const ends = [e.payload.a, e.payload.b].map((end) => {
          if (!live(end.resource_id, 'compute'))
            fail(e, `endpoint ${end.resource_id} is not a live resource`);
          if (!interfaces.get(end.resource_id)?.has(end.interface)) fail(e, `no interface ${end.interface}`);
          const key = `${end.resource_id}/${end.interface}`;
          if (wired.has(key)) fail(e, `interface ${key} is already connected`);
          wired.set(key, e.aggregate_id);
          return key;
        });
        connections.set(e.aggregate_id, [ends[0]!, ends[1]!]);
        break;
      }
      case 'ConnectionSevered':
        for (const key of connections.get(e.aggregate_id) ?? []) wired.delete(key);
        break;
      case 'SoftwareConfigured':
        if (!live(e.payload.resource_id, 'compute'))
          fail(e, `software on dead resource ${e.payload.resource_id}`);
        if (prior && software.get(e.aggregate_id) !== e.payload.resource_id)
          fail(e, 'software moved to another resource');
        software.set(e.aggregate_id, e.payload.resource_id);
        break;
      case 'SoftwareRemoved':
        software.delete(e.aggregate_id);
        break;
      case 'PolicySet':
        for (const id of e.payload.target_ids)
          if (!live(id, 'compute')) fail(e, `policy targets dead resource ${id}`);
        break;
      case 'ComputeDecommissioned':
        for (const [key] of wired)
          if (key.startsWith(`${e.aggregate_id}/`)) fail(e, `still connected at ${key}`);
        for (const [, resource] of software) if (resource === e.aggregate_id) fail(e, 'still has software');
        break;
    }
  }
  return { violations, ips: ips.size, connections: connections.size };
};

describe('generated fleets', () => {
  it.each<FleetOptions>([
    { resources: 600, events: 30_000, resourcesPerSite: 200, seed: 1 },
    { resources: 1_000, events: 12_000, seed: 99 },
    { resources: 5, events: 500, seed: 3 },
  ])('keep every invariant a sequential projector relies on (%o)', (options) => {
    const audit = auditFleet(generateFleet(options));
    expect(audit.violations).toEqual([]);
    expect(audit.ips).toBeGreaterThan(options.resources);
    if (options.resources >= 8) expect(audit.connections).toBeGreaterThan(options.resources / 2);
  });

  it('keep them for any size, seed, site size and length', () => {
    fc.assert(
      fc.property(
        fc.record({
          resources: fc.integer({ min: 1, max: 400 }),
          events: fc.integer({ min: 0, max: 4_000 }),
          seed: fc.integer(),
          resourcesPerSite: fc.integer({ min: 8, max: 300 }),
        }),
        (options) => {
          expect(auditFleet(generateFleet(options)).violations).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('auditFleet', () => {
  // The audit must be able to fail, or the tests above prove nothing.
  const events = [...generateFleet({ resources: 60, events: 600 })];
  const tampered = (i: number, patch: (e: InfrastructureEvent) => InfrastructureEvent) =>
    auditFleet(events.map((e, j) => (j === i ? patch(structuredClone(e)) : e))).violations;

  it('reports a version gap', () => {
    expect(tampered(100, (e) => ({ ...e, aggregate_version: e.aggregate_version + 1 }))).not.toEqual([]);
  });

  it('reports a repeated MAC address', () => {
    const regs = events.flatMap((e, i) => (e.event_type === 'ComputeRegistered' ? [i] : []));
    const mac = (events[regs[0]!] as Extract<InfrastructureEvent, { event_type: 'ComputeRegistered' }>)
      .payload.interfaces[0]!.mac;
    const out = tampered(regs[1]!, (e) => {
      if (e.event_type === 'ComputeRegistered') e.payload.interfaces[0]!.mac = mac;
      return e;
    });
    expect(out.some((v) => v.includes('MAC'))).toBe(true);
  });

  it('reports an event after a removal', () => {
    const severed = events.findIndex(
      (e) => e.event_type === 'ConnectionSevered' || e.event_type === 'PolicyRemoved',
    );
    const after = auditFleet([
      ...events.slice(0, severed + 1),
      { ...events[severed]!, aggregate_version: events[severed]!.aggregate_version + 1 },
    ]);
    expect(after.violations.some((v) => v.includes('already removed'))).toBe(true);
  });
});
