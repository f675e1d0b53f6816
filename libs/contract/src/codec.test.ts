import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_CATALOG, EVENT_TYPES, type EventType } from './catalog.js';
import { createEvent, decodeEvent, encodeEvent } from './codec.js';
import type { InfrastructureEvent } from './envelope.js';
import { isContractError } from './errors.js';
import { causedBy, newRootCommand, rootIdentity } from './identity.js';
import { isUuidV7, newId } from './ids.js';
import { RESOURCE_TYPES } from './resource-types.js';
import { subjectFor } from './subjects.js';

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

const payloads: { [T in EventType]: fc.Arbitrary<unknown> } = {
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

const validEvent = fc
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

type Mutation = (e: Record<string, unknown>) => Record<string, unknown>;
const mutations: [string, Mutation, RegExp][] = [
  ['drop event_id', ({ event_id: _, ...e }) => e, /event_id/],
  [
    'event_id not v7',
    (e) => ({ ...e, event_id: '3b241101-e2bb-4255-8caf-4136c566a962' }),
    /event_id must be a UUID v7/,
  ],
  ['drop correlation', ({ correlation_id: _, ...e }) => e, /correlation_id/],
  ['bad occurred_at', (e) => ({ ...e, occurred_at: 'yesterday' }), /occurred_at/],
  ['version 0', (e) => ({ ...e, aggregate_version: 0 }), /aggregate_version/],
  ['unknown type', (e) => ({ ...e, event_type: 'ComputeExploded' }), /unknown event_type 'ComputeExploded'/],
  ['future schema', (e) => ({ ...e, schema_version: 99 }), /schema_version 99 .* newer than this code knows/],
  ['payload not object', (e) => ({ ...e, payload: 'x' }), /payload/],
];

describe('event codec', () => {
  it('round-trips every valid event through bytes unchanged', () => {
    fc.assert(
      fc.property(validEvent, (event) => {
        const decoded = decodeEvent(encodeEvent(event));
        expect(decoded).toEqual({ ok: true, event });
      }),
    );
  });

  it('produces UUID v7 ids, current schema versions and the catalog subject', () => {
    fc.assert(
      fc.property(validEvent, (event) => {
        expect(isUuidV7(event.event_id)).toBe(true);
        expect(event.schema_version).toBe(EVENT_CATALOG[event.event_type].version);
        expect(subjectFor(event.event_type, 'x')).toBe(
          `x.${event.aggregate_type}.${EVENT_CATALOG[event.event_type].operation}`,
        );
      }),
      { numRuns: 50 },
    );
  });

  it('rejects every mutated event with a reason', () => {
    fc.assert(
      fc.property(validEvent, fc.constantFrom(...mutations), (event, [, mutate, expected]) => {
        const decoded = decodeEvent(mutate({ ...event }));
        expect(decoded.ok).toBe(false);
        if (!decoded.ok) expect(decoded.reason).toMatch(expected);
      }),
    );
  });

  it('rejects invalid payload values with the field path', () => {
    const event = createEvent('NetworkDefined', {
      aggregate_id: newId(),
      aggregate_version: 1,
      identity: rootIdentity(newId()),
      payload: { name: 'n', cidr: '10.0.0.0/24', vlan_id: 10 },
    });
    const decoded = decodeEvent({ ...event, payload: { ...event.payload, vlan_id: 5000 } });
    expect(decoded).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    if (!decoded.ok)
      expect(decoded.reason).toBe('NetworkDefined: payload.vlan_id: VLAN id must be between 1 and 4094');
    expect(decodeEvent('{nope')).toMatchObject({ ok: false, code: 'INVALID_JSON' });
  });

  it('rejects an event whose type and aggregate disagree', () => {
    const event = createEvent('NetworkRemoved', {
      aggregate_id: newId(),
      aggregate_version: 2,
      identity: rootIdentity(newId()),
      payload: {},
    });
    expect(decodeEvent({ ...event, aggregate_type: 'compute' })).toMatchObject({
      ok: false,
      code: 'INVALID_ENVELOPE',
    });
  });

  it('refuses to create an invalid event', () => {
    try {
      createEvent('ComputeRegistered', {
        aggregate_id: newId(),
        aggregate_version: 1,
        identity: rootIdentity(newId()),
        payload: { hostname: 'ok', resource_type: 'vm', interfaces: [{ name: 'eth0' }, { name: 'eth0' }] },
      });
      expect.unreachable();
    } catch (e) {
      expect(isContractError(e) && e.code === 'INVALID_EVENT' && e.message).toMatch(
        /duplicate interface name 'eth0'/,
      );
    }
  });
});

describe('identity', () => {
  it('a root command correlates and causes its own events; a caused command keeps the correlation', () => {
    const root = newRootCommand();
    expect(root.correlation_id).toBe(root.command_id);
    expect(root.causation_id).toBe(root.command_id);
    const event = createEvent('PolicyRemoved', {
      aggregate_id: newId(),
      aggregate_version: 2,
      identity: rootIdentity(root.command_id),
      payload: {},
    });
    const next = causedBy(event);
    expect(next).toEqual({ correlation_id: root.command_id, causation_id: event.event_id });
  });
});
