import { generateFleet } from '@cim/fleet-generator';
import { describe, expect, it } from 'vitest';
import { MetricsAdapter } from './metrics-adapter.js';
import { decodeModel, encodeModel } from './model-codec.js';
import { type MetricsModel, MODEL_MAPS } from './model-state.js';

const dump = (m: MetricsModel) => ({
  sequence: m.sequence,
  ...Object.fromEntries(MODEL_MAPS.map((k) => [k, [...m[k].entries()]])),
});

describe('model codec', () => {
  it('round-trips a model, unmeasured qualities (NaN) included', async () => {
    const adapter = new MetricsAdapter();
    const events = [...generateFleet({ resources: 50, events: 900, seed: 9 })];
    await adapter.transaction(async (tx) => {
      await adapter.project(
        events.map((event, i) => ({ sequence: i + 1, subject: '', timestamp: new Date(0), event })),
        tx,
      );
      await adapter.writeCheckpoint(events.length, tx);
    });
    const model = adapter.model;
    expect([...model.resources.values()].some((r) => Number.isNaN(r.qualities.disk))).toBe(true);
    const decoded = decodeModel(encodeModel(model))!;
    expect(dump(decoded)).toEqual(dump(model));
  });

  it('ignores a snapshot of another codec version', () => {
    expect(decodeModel(JSON.stringify({ v: 999 }))).toBeUndefined();
  });
});
