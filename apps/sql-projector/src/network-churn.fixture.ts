/**
 * Test fixture: a stream where networks appear, overlap (nested and duplicate CIDRs, IPv4 and IPv6)
 * and disappear before, between and after the registrations and interface changes of resources
 * whose addresses they contain, in a seed-dependent interleaving. It exercises the paths the fleet
 * generator never takes: relinking existing addresses when membership changes.
 */
import { createEvent, type InfrastructureEvent, newId, rootIdentity } from '@cim/contract';

const prng = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

type Lane = ((at: string) => InfrastructureEvent)[];

const networkLane = (cidr: string, removeToo: boolean, redefine: boolean): Lane => {
  const id = newId();
  const who = rootIdentity(newId());
  let version = 0;
  const define = (name: string) => (at: string) =>
    createEvent('NetworkDefined', {
      aggregate_id: id,
      aggregate_version: ++version,
      identity: who,
      occurred_at: at,
      payload: { name, cidr, vlan_id: 100, gateway: cidr.split('/')[0] },
    });
  const lane: Lane = [
    define(`net-${cidr}`),
    // null clears a column; an absent key keeps it (the name here).
    (at) =>
      createEvent('NetworkUpdated', {
        aggregate_id: id,
        aggregate_version: ++version,
        identity: who,
        occurred_at: at,
        payload: { vlan_id: null, gateway: null },
      }),
  ];
  if (removeToo)
    lane.push((at) =>
      createEvent('NetworkRemoved', {
        aggregate_id: id,
        aggregate_version: ++version,
        identity: who,
        occurred_at: at,
        payload: { reason: 'churn' },
      }),
    );
  if (removeToo && redefine) lane.push(define(`net-${cidr}-again`));
  return lane;
};

const resourceLane = (n: number, first: string[], second: string[] | undefined): Lane => {
  const id = newId();
  const who = rootIdentity(newId());
  const iface = (ips: string[]) => [
    { name: 'eth0', ips },
    { name: 'lo', kind: 'loopback' as const, ips: ['127.0.0.1/8'] },
  ];
  const lane: Lane = [
    (at) =>
      createEvent('ComputeRegistered', {
        aggregate_id: id,
        aggregate_version: 1,
        identity: who,
        occurred_at: at,
        payload: { hostname: `churn-${n}`, resource_type: 'vm', interfaces: iface(first) },
      }),
  ];
  if (second)
    lane.push((at) =>
      createEvent('ComputeUpdated', {
        aggregate_id: id,
        aggregate_version: 2,
        identity: who,
        occurred_at: at,
        payload: { interfaces: iface(second) },
      }),
    );
  return lane;
};

/** A valid stream of network and resource events, interleaved by `seed`. */
export const networkChurnStream = (seed: number): InfrastructureEvent[] => {
  const random = prng(seed);
  const lanes: Lane[] = [
    networkLane('10.1.0.0/16', random() < 0.5, false),
    networkLane('10.1.2.0/24', true, random() < 0.5),
    networkLane('10.1.2.0/24', random() < 0.5, false),
    networkLane('10.1.2.128/25', random() < 0.5, true),
    networkLane('2001:db8::/32', random() < 0.5, false),
    networkLane('10.9.0.0/16', false, false),
    resourceLane(1, ['10.1.2.10/24', '10.1.2.200/24'], ['10.1.3.7/16']),
    resourceLane(2, ['10.1.3.9/16', '10.9.1.1/16'], undefined),
    resourceLane(3, ['2001:db8::5/64'], ['2001:db8:1::5/48', '10.1.2.130/25']),
    resourceLane(4, ['192.168.0.1/24'], ['10.1.2.10/24']),
    resourceLane(5, ['10.1.2.129/25', '10.1.2.129/25'], undefined),
  ];
  const events: InfrastructureEvent[] = [];
  const start = Date.parse('2025-03-01T00:00:00.000Z');
  while (lanes.some((l) => l.length > 0)) {
    const open = lanes.filter((l) => l.length > 0);
    const lane = open[Math.floor(random() * open.length)]!;
    events.push(lane.shift()!(new Date(start + events.length * 1000).toISOString()));
  }
  return events;
};
