import { isContractError, rootIdentity } from '@cim/contract';
import { describe, expect, it } from 'vitest';
import { EventWriter } from './event-writer.js';
import { ResourceState } from './fleet-state.js';
import { Telemetry } from './measurements.js';
import { Prng } from './prng.js';
import { UuidV7Factory } from './uuid-v7.js';

const START = Date.UTC(2025, 0, 1);
const writer = () => new EventWriter(START, new Prng(1), new UuidV7Factory(new Prng(2), 1));
const resource = (cpu: number) =>
  new ResourceState(
    '01941f29-7c00-7a42-8453-0504534eaa4f',
    0,
    'virtual_machine',
    undefined,
    new Telemetry('workload', cpu, 0.5, 0.4, 100, 300, 3, 0.001, START - 3_600_000),
    2,
    4_096,
  );

describe('EventWriter', () => {
  it('stamps the first event at the start, then strictly later ones, and counts aggregate versions', () => {
    const w = writer();
    w.pace(1, 5);
    const r = resource(0.3);
    const events = Array.from({ length: 50 }, () => w.writeMeasurement(r, new Prng(3), w.newCommand()));
    expect(events[0]!.occurred_at).toBe(new Date(START).toISOString());
    for (let i = 1; i < events.length; i++) {
      expect(Date.parse(events[i]!.occurred_at)).toBeGreaterThan(Date.parse(events[i - 1]!.occurred_at));
    }
    expect(events.map((e) => e.aggregate_version)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(events.map((e) => e.event_id)).size).toBe(50);
  });

  it('falls back to createEvent, which refuses, when a measurement is not well formed', () => {
    const w = writer();
    try {
      w.writeMeasurement(
        resource(Number.NaN),
        new Prng(3),
        rootIdentity('01941f29-7c00-7a42-8453-0504534eaa4f'),
      );
      expect.unreachable();
    } catch (e) {
      expect(isContractError(e) && e.code).toBe('INVALID_EVENT');
    }
  });
});
