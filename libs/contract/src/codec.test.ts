import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_CATALOG } from './catalog.js';
import { createEvent, decodeEvent, encodeEvent } from './codec.js';
import { validEvent } from './codec-arbitraries.fixture.js';
import { isContractError } from './errors.js';
import { causedBy, newRootCommand, rootIdentity } from './identity.js';
import { isUuidV7, newId } from './ids.js';
import { subjectFor } from './subjects.js';

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
