import fc from 'fast-check';
import { EVENT_TYPES, type EventType } from './catalog.js';
import { createEvent } from './codec.js';
import type { InfrastructureEvent } from './envelope.js';
import { rootIdentity } from './identity.js';
import { newId } from './ids.js';
import { RESOURCE_TYPES } from './resource-types.js';

/** fast-check arbitraries of valid payloads and events, for the contract's property tests. */

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const hostname = fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => l.join('.'));
const mac = fc
  .array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 })
  .map((b) => b.map((x) => x.toString(16).padStart(2, '0')).join(':'));
const ipv4 = fc.tuple(fc.ipV4(), fc.integer({ min: 8, max: 32 })).map(([ip, p]) => `${ip}/${p}`);
const uuid = fc.constant(null).map(() => newId());
const ratio = fc.double({ min: 0, max: 1, noNaN: true });
const capacity = fc.integer({ min: 0, max: 1_000_000 });
const iface = fc.record(
  { name: fc.constantFrom('eth0', 'eth1', 'bond0'), mac, ips: fc.array(ipv4, { maxLength: 2 }) },
  { requiredKeys: ['name'] },
);
const uniqueIfaces = fc
  .uniqueArray(iface, { selector: (i) => i.name, maxLength: 3 })
  .filter((l) => new Set(l.map((i) => i.mac).filter(Boolean)).size === l.filter((i) => i.mac).length);

export const payloads: { [T in EventType]: fc.Arbitrary<unknown> } = {
  ComputeRegistered: fc.record(
    {
      hostname,
      resource_type: fc.constantFrom(...RESOURCE_TYPES),
      cpu_cores: capacity,
      memory_mb: capacity,
      interfaces: uniqueIfaces,
    },
    { requiredKeys: ['hostname', 'resource_type'] },
  ),
  ComputeUpdated: fc.record({ cpu_cores: capacity, status: fc.constantFrom('active', 'maintenance') }),
  ComputeDecommissioned: fc.record({ reason: fc.string() }, { requiredKeys: [] }),
  ComputeMeasured: fc.record({ cpu_utilization: ratio, error_rate: ratio, latency_ms: capacity }),
  NetworkDefined: fc.record(
    {
      name: label,
      cidr: fc.constantFrom('10.0.0.0/8', '192.168.1.0/24', '2001:db8::/32'),
      vlan_id: fc.integer({ min: 1, max: 4094 }),
    },
    { requiredKeys: ['name', 'cidr'] },
  ),
  NetworkUpdated: fc.record({ vlan_id: fc.integer({ min: 1, max: 4094 }) }),
  NetworkRemoved: fc.constant({}),
  ConnectionEstablished: fc.record({
    a: fc.record({ resource_id: uuid, interface: fc.constant('eth0') }),
    b: fc.record({ resource_id: uuid, interface: fc.constant('eth1') }),
  }),
  ConnectionSevered: fc.constant({}),
  SoftwareConfigured: fc.record({ resource_id: uuid, name: label, version: fc.constantFrom('1.0', '2.4.1') }),
  SoftwareRemoved: fc.constant({}),
  PolicySet: fc.record({
    name: label,
    kind: fc.constantFrom('security', 'backup'),
    target_ids: fc.array(uuid, { minLength: 1, maxLength: 3 }),
  }),
  PolicyRemoved: fc.constant({}),
};

export const validEvent = fc
  .constantFrom(...EVENT_TYPES)
  .chain((type) =>
    fc.record({
      type: fc.constant(type),
      payload: payloads[type],
      version: fc.integer({ min: 1, max: 1000 }),
    }),
  )
  .map(
    ({ type, payload, version }) =>
      createEvent(type, {
        aggregate_id: newId(),
        aggregate_version: version,
        identity: rootIdentity(newId()),
        payload: payload as never,
      }) as InfrastructureEvent,
  );
