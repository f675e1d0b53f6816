import { createEvent, decodeEvent, EVENT_CATALOG, type PayloadInputOf, rootIdentity } from '@cim/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWellFormedMeasurement } from './measurement-guard.js';

const ID = '01941f29-7c00-7a42-8453-0504534eaa4f';
const RATIOS = ['cpu_utilization', 'memory_utilization', 'disk_utilization', 'error_rate'] as const;
const AMOUNTS = [
  'network_throughput_mbps',
  'disk_iops',
  'uptime_seconds',
  'latency_ms',
  'latency_variance',
] as const;

/** Mostly plausible numbers, plus values around and outside every bound the schema has. */
const numbers = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: 1e12, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(-0, -1e-9, 1 + 1e-9, Number.NaN, Number.POSITIVE_INFINITY, 1e300) },
  { weight: 1, arbitrary: fc.double() },
);
const isoOrNot = fc.oneof(
  fc
    .date({ min: new Date(0), max: new Date(Date.UTC(9999, 0, 1)), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.string(),
);
const payloads = fc
  .tuple(
    fc.record(
      { ...Object.fromEntries([...RATIOS, ...AMOUNTS].map((k) => [k, numbers])), measured_at: isoOrNot },
      { requiredKeys: [] },
    ),
    fc.option(fc.anything(), { freq: 4 }),
  )
  .map(([payload, stray]): Record<string, unknown> => (stray === null ? payload : { ...payload, stray }));

describe('isWellFormedMeasurement', () => {
  it('only vouches for payloads the schema accepts unchanged (so skipping zod is safe)', () => {
    let vouched = 0;
    fc.assert(
      fc.property(payloads, (payload) => {
        if (!isWellFormedMeasurement(payload)) return;
        vouched++;
        expect(EVENT_CATALOG.ComputeMeasured.payload.safeParse(payload)).toEqual({
          success: true,
          data: payload,
        });
        const event = {
          event_id: ID,
          event_type: 'ComputeMeasured',
          aggregate_type: 'compute',
          aggregate_id: ID,
          aggregate_version: 1,
          ...rootIdentity(ID),
          occurred_at: '2025-01-01T00:00:00.000Z',
          schema_version: 1,
          payload,
        };
        expect(decodeEvent(JSON.stringify(event)).ok).toBe(true);
      }),
      { numRuns: 3_000 },
    );
    // The property must really be exercised, not pass vacuously.
    expect(vouched).toBeGreaterThan(100);
  });

  it('accepts a typical measurement and createEvent keeps it as it is', () => {
    const payload: PayloadInputOf<'ComputeMeasured'> = {
      cpu_utilization: 0.42,
      memory_utilization: 1,
      disk_utilization: 0,
      network_throughput_mbps: 120.5,
      disk_iops: 300,
      uptime_seconds: 86_400,
      error_rate: 0.001,
      latency_ms: 3.2,
      latency_variance: 0.4,
      measured_at: '2025-01-01T00:00:00.000Z',
    };
    expect(isWellFormedMeasurement(payload)).toBe(true);
    const event = createEvent('ComputeMeasured', {
      aggregate_id: ID,
      aggregate_version: 1,
      identity: rootIdentity(ID),
      payload,
    });
    expect(JSON.stringify(event.payload)).toBe(JSON.stringify(payload));
  });

  it.each([
    ['a ratio above 1', { cpu_utilization: 1.01 }],
    ['a negative amount', { latency_ms: -1 }],
    ['NaN', { error_rate: Number.NaN }],
    ['an infinite amount', { disk_iops: Number.POSITIVE_INFINITY }],
    ['a string quality', { latency_ms: '3' }],
    ['an unknown field', { latency_ms: 3, colour: 'red' }],
    ['no quality at all', { measured_at: '2025-01-01T00:00:00.000Z' }],
    ['a non-ISO measured_at', { latency_ms: 3, measured_at: 'yesterday' }],
  ])('rejects %s', (_, payload) => {
    expect(isWellFormedMeasurement(payload)).toBe(false);
  });
});
