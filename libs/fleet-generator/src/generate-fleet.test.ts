import { createEvent, decodeEvent, type InfrastructureEvent, isUuidV7 } from '@cim/contract';
import { describe, expect, it } from 'vitest';
import { isFleetGeneratorError } from './errors.js';
import { DEFAULT_FLEET_OPTIONS, type FleetOptions, MAX_FLEET_RESOURCES } from './fleet-options.js';
import { generateFleet } from './generate-fleet.js';

const all = (options: FleetOptions) => [...generateFleet(options)];
const lines = (options: FleetOptions) => all(options).map((e) => JSON.stringify(e));
const count = (events: InfrastructureEvent[], type: string) =>
  events.filter((e) => e.event_type === type).length;

describe('generateFleet', () => {
  it('is deterministic: equal options give byte-identical events, another seed other events', () => {
    const options = { resources: 300, events: 3_000, seed: 7 };
    const a = lines(options);
    expect(lines(options)).toEqual(a);
    const b = lines({ ...options, seed: 8 });
    expect(b).not.toEqual(a);
    // Not just a shifted copy: almost every event differs.
    expect(b.filter((line, i) => line === a[i]).length).toBe(0);
  });

  it('starts at `start` and keeps occurred_at strictly increasing', () => {
    const start = new Date('2030-06-01T12:00:00.000Z');
    const events = all({ resources: 100, events: 2_000, start });
    expect(events[0]?.occurred_at).toBe(start.toISOString());
    for (let i = 1; i < events.length; i++) {
      expect(Date.parse(events[i]!.occurred_at)).toBeGreaterThan(Date.parse(events[i - 1]!.occurred_at));
    }
    const shifted = all({ resources: 100, events: 2_000, start: new Date(start.getTime() + 1_000) });
    expect(shifted[0]?.occurred_at).not.toBe(events[0]?.occurred_at);
  });

  it('produces exactly the requested number of events, cutting the inventory short if need be', () => {
    let inventory = 0;
    for (const e of generateFleet({ resources: 120, events: 1_000_000 })) {
      if (e.event_type === 'ComputeMeasured') break;
      inventory++;
    }
    for (const events of [0, 1, 17, inventory - 1, inventory, inventory + 1, 2_500]) {
      expect(all({ resources: 120, events })).toHaveLength(events);
    }
    expect(all({ resources: 40 })).toHaveLength(40 * DEFAULT_FLEET_OPTIONS.eventsPerResource);
  });

  it('registers exactly `resources` resources, each once', () => {
    for (const resources of [1, 7, 8, 9, 251, 777]) {
      const events = all({ resources, events: resources * 6 });
      const registered = events.filter((e) => e.event_type === 'ComputeRegistered');
      expect(registered).toHaveLength(resources);
      expect(new Set(registered.map((e) => e.aggregate_id)).size).toBe(resources);
    }
  });

  it('emits only events that pass decodeEvent and come back unchanged', () => {
    for (const seed of [1, 2, 3]) {
      for (const event of generateFleet({ resources: 300, events: 4_000, seed })) {
        const decoded = decodeEvent(JSON.stringify(event));
        if (!decoded.ok) expect.fail(`${event.event_type} ${event.event_id}: ${decoded.reason}`);
        expect(decoded.event).toEqual(event);
        expect(isUuidV7(event.event_id) && isUuidV7(event.aggregate_id)).toBe(true);
      }
    }
  });

  it('builds measurements exactly as createEvent would', () => {
    let checked = 0;
    for (const event of generateFleet({ resources: 200, events: 5_000, seed: 11 })) {
      if (event.event_type !== 'ComputeMeasured') continue;
      const rebuilt = createEvent('ComputeMeasured', {
        aggregate_id: event.aggregate_id,
        aggregate_version: event.aggregate_version,
        identity: { correlation_id: event.correlation_id, causation_id: event.causation_id },
        payload: event.payload,
        event_id: event.event_id,
        occurred_at: event.occurred_at,
      });
      expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(event));
      checked++;
    }
    expect(checked).toBeGreaterThan(2_000);
  });

  it('streams lazily: the first events of the largest fleet come at once', () => {
    const iterator = generateFleet({ resources: MAX_FLEET_RESOURCES, events: 10_000_000 });
    const first = Array.from({ length: 10 }, () => iterator.next().value);
    expect(
      first.every((e) => e?.event_type === 'NetworkDefined' || e?.event_type === 'ComputeRegistered'),
    ).toBe(true);
    iterator.return();
  });

  it('mixes a realistic lifecycle after the inventory', () => {
    const events = all({ resources: 500, events: 25_000, seed: 5 });
    const lifecycle = events.slice(events.findIndex((e) => e.event_type === 'ComputeMeasured'));
    expect(count(lifecycle, 'ComputeMeasured') / lifecycle.length).toBeGreaterThan(0.8);
    for (const type of [
      'ComputeUpdated',
      'SoftwareConfigured',
      'ConnectionSevered',
      'ConnectionEstablished',
      'NetworkUpdated',
      'PolicySet',
      'PolicyRemoved',
      'SoftwareRemoved',
      'ComputeDecommissioned',
    ]) {
      expect(count(lifecycle, type), type).toBeGreaterThan(0);
    }
    // Upgrades keep the installation's aggregate; re-established links are caused by the severing.
    expect(lifecycle.some((e) => e.event_type === 'SoftwareConfigured' && e.aggregate_version > 1)).toBe(
      true,
    );
    const reconnects = lifecycle.filter((e) => e.event_type === 'ConnectionEstablished');
    const severed = new Set(
      lifecycle.filter((e) => e.event_type === 'ConnectionSevered').map((e) => e.event_id),
    );
    for (const e of reconnects) expect(severed.has(e.causation_id)).toBe(true);
  });

  it.each<[string, Partial<FleetOptions>]>([
    ['zero resources', { resources: 0 }],
    ['fractional resources', { resources: 2.5 }],
    ['too many resources', { resources: MAX_FLEET_RESOURCES + 1 }],
    ['negative events', { events: -1 }],
    ['a fractional seed', { seed: 1.5 }],
    ['an invalid start', { start: new Date(Number.NaN) }],
    ['an anomaly rate above 0.2', { anomalyRate: 0.5 }],
    ['tiny sites', { resourcesPerSite: 4 }],
    ['a spacing below 2 ms', { eventSpacingMs: 1 }],
  ])('refuses %s at once with INVALID_OPTIONS', (_, bad) => {
    try {
      generateFleet({ resources: 10, ...bad });
      expect.unreachable();
    } catch (e) {
      expect(isFleetGeneratorError(e) && e.code).toBe('INVALID_OPTIONS');
    }
  });
});
