import type { EventOf, PayloadOf } from '@cim/contract';
import { describe, expect, it } from 'vitest';
import { plantedAnomalies } from './fleet-planner.js';
import { generateFleet } from './generate-fleet.js';
import type { AnomalyKind } from './site-plan.js';

type Measured = PayloadOf<'ComputeMeasured'>;

/** The signature each anomaly kind leaves on every measurement of its resource. */
const SIGNATURES: Record<AnomalyKind, (m: Measured) => boolean> = {
  cpu_saturation: (m) => (m.cpu_utilization ?? 0) >= 0.96,
  error_storm: (m) => (m.error_rate ?? 0) >= 0.08,
  latency_spike: (m) => (m.latency_variance ?? 0) >= (m.latency_ms ?? Number.POSITIVE_INFINITY),
  memory_leak: (m) => (m.memory_utilization ?? 0) >= 0.8,
  flapping: (m) => (m.uptime_seconds ?? Number.POSITIVE_INFINITY) <= 900 && (m.error_rate ?? 0) >= 0.02,
};

describe('plantedAnomalies', () => {
  const options = { resources: 2_000, events: 60_000, seed: 21 };
  const planted = plantedAnomalies(options);
  const events = [...generateFleet(options)];

  it('plants about 1.5% of the fleet, each a registered resource of the stream', () => {
    expect(planted.length).toBeGreaterThanOrEqual(20);
    expect(planted.length).toBeLessThanOrEqual(40);
    expect(new Set(planted.map((a) => a.resource_id)).size).toBe(planted.length);
    const registered = new Map(
      events.flatMap((e) =>
        e.event_type === 'ComputeRegistered' ? [[e.aggregate_id, e.payload] as const] : [],
      ),
    );
    for (const a of planted) {
      expect(registered.get(a.resource_id)?.hostname).toBe(a.hostname);
      expect(registered.get(a.resource_id)?.resource_type).toBe(a.resource_type);
    }
  });

  it('makes planted resources measurably unusual, and only them', () => {
    const kindOf = new Map(planted.map((a) => [a.resource_id, a.kind]));
    const measured = events.filter(
      (e): e is EventOf<'ComputeMeasured'> => e.event_type === 'ComputeMeasured',
    );
    const seen = new Set<string>();
    for (const e of measured) {
      const kind = kindOf.get(e.aggregate_id);
      if (kind) {
        seen.add(e.aggregate_id);
        expect(SIGNATURES[kind](e.payload), `${kind} ${JSON.stringify(e.payload)}`).toBe(true);
      } else {
        // Healthy resources never look like the loud kinds.
        expect(SIGNATURES.cpu_saturation(e.payload) || SIGNATURES.error_storm(e.payload)).toBe(false);
        expect(SIGNATURES.latency_spike(e.payload)).toBe(false);
      }
    }
    expect(seen.size).toBeGreaterThan(planted.length * 0.8);
  });

  it('never decommissions a planted resource', () => {
    const gone = new Set(
      events.filter((e) => e.event_type === 'ComputeDecommissioned').map((e) => e.aggregate_id),
    );
    expect(gone.size).toBeGreaterThan(0);
    for (const a of planted) expect(gone.has(a.resource_id)).toBe(false);
  });

  it('depends on the fleet, not on the stream length, and follows the rate', () => {
    expect(plantedAnomalies({ ...options, events: 10 })).toEqual(planted);
    expect(plantedAnomalies({ ...options, seed: 22 })).not.toEqual(planted);
    expect(plantedAnomalies({ resources: 10 })).toHaveLength(1);
    expect(plantedAnomalies({ resources: 2_000, anomalyRate: 0 })).toEqual([]);
  });
});
