import { createEvent, type InfrastructureEvent, newId, rootIdentity } from '@cim/contract';
import { generateFleet } from '@cim/fleet-generator';
import type { StreamEvent } from '@cim/projection-kit';
import { checkProjectionLaws } from '@cim/projection-kit/laws';
import { describe, expect, it } from 'vitest';
import { MetricsAdapter } from './metrics-adapter.js';
import { type MetricsModel, MODEL_MAPS } from './model-state.js';
import { flatten, referenceSeries } from './testing/reference-series.js';

const stream = (events: readonly InfrastructureEvent[], from = 1): StreamEvent[] =>
  events.map((event, i) => ({ sequence: from + i, subject: 's', timestamp: new Date(0), event }));

const project = (adapter: MetricsAdapter, items: readonly StreamEvent[]) =>
  adapter.transaction(async (tx) => {
    await adapter.project(items, tx);
    await adapter.writeCheckpoint(items[items.length - 1]?.sequence ?? tx.checkpoint, tx);
  });

/** Every map of the model as sorted entries, plus the checkpoint: equal dumps, equal models. */
const dump = (m: MetricsModel) => ({
  sequence: m.sequence,
  ...Object.fromEntries(MODEL_MAPS.map((k) => [k, [...m[k].entries()].sort(([a], [b]) => (a < b ? -1 : 1))])),
});

describe('MetricsAdapter', () => {
  it('obeys the projection laws against an independent reference fold (series bound in effect)', async () => {
    const adapter = new MetricsAdapter({ name: 'laws', maxResourceSeries: 3 });
    await checkProjectionLaws(
      {
        adapter,
        snapshot: async () => flatten(adapter.series()),
        reference: (items) =>
          referenceSeries(
            items.map((i) => i.event),
            { maxResourceSeries: 3 },
          ),
      },
      { runs: 25, resources: 8, events: 150 },
    );
  });

  it('matches the reference on a larger fleet with decommissions, severed links and policy changes', async () => {
    const events = [...generateFleet({ resources: 300, events: 6_000, seed: 7 })];
    const kinds = new Set(events.map((e) => e.event_type));
    expect(kinds).toContain('ComputeDecommissioned');
    expect(kinds).toContain('ConnectionSevered');
    const adapter = new MetricsAdapter({ maxResourceSeries: 100 });
    await project(adapter, stream(events));
    expect(flatten(adapter.series())).toEqual(referenceSeries(events, { maxResourceSeries: 100 }));
    expect(adapter.series().seriesOmitted[0]!.value).toBeGreaterThan(0);
  });

  it('leaves no trace of a failed batch, and never shows half a batch to a scrape', async () => {
    const events = [...generateFleet({ resources: 40, events: 800, seed: 3 })];
    // The failing half decommissions resources, and the series bound bites: a rolled-back delete
    // must not change which resources keep their own series.
    expect(events.slice(400).some((e) => e.event_type === 'ComputeDecommissioned')).toBe(true);
    const adapter = new MetricsAdapter({ maxResourceSeries: 10 });
    await project(adapter, stream(events.slice(0, 400)));
    expect(adapter.series().seriesOmitted[0]!.value).toBeGreaterThan(0);
    const before = dump(adapter.model);
    const seriesBefore = flatten(adapter.series());
    let seenDuringBatch: unknown;
    await expect(
      adapter.transaction(async (tx) => {
        await adapter.project(stream(events.slice(400), 401), tx);
        await adapter.writeCheckpoint(800, tx);
        seenDuringBatch = flatten(adapter.series());
        throw new Error('store failure after the writes');
      }),
    ).rejects.toThrow('store failure');
    expect(seenDuringBatch).toEqual(seriesBefore);
    expect(dump(adapter.model)).toEqual(before);
    expect(await adapter.readCheckpoint()).toBe(400);
    expect(flatten(adapter.series())).toEqual(seriesBefore);
    // And the model goes on as if the failed batch never came.
    await project(adapter, stream(events.slice(400), 401));
    expect(flatten(adapter.series())).toEqual(referenceSeries(events, { maxResourceSeries: 10 }));
  });

  it('keeps the same resources in the series bound after a rolled-back decommission', async () => {
    const ids = [newId(), newId(), newId()];
    const identity = rootIdentity(newId());
    const events: InfrastructureEvent[] = ids.flatMap((id, i) => [
      createEvent('ComputeRegistered', {
        aggregate_id: id,
        aggregate_version: 1,
        identity,
        payload: { hostname: `h${i}`, resource_type: 'vm' },
      }),
      createEvent('ComputeMeasured', {
        aggregate_id: id,
        aggregate_version: 2,
        identity,
        payload: { cpu_utilization: i / 10 },
      }),
    ]);
    const adapter = new MetricsAdapter({ maxResourceSeries: 2 });
    await project(adapter, stream(events));
    const before = flatten(adapter.series());
    const decommission = createEvent('ComputeDecommissioned', {
      aggregate_id: ids[0]!,
      aggregate_version: 3,
      identity,
      payload: {},
    });
    await expect(
      adapter.transaction(async (tx) => {
        await adapter.project(stream([decommission], 7), tx);
        throw new Error('failed after the delete');
      }),
    ).rejects.toThrow();
    await project(adapter, []); // a commit, so the series are computed afresh
    expect(flatten(adapter.series())).toEqual(before);
    expect(adapter.series().resourceCpu.map((s) => s.labels.hostname)).toEqual(['h0', 'h1']);
  });

  it('rebuilds blue/green: the live model serves until the shadow is swapped in', async () => {
    const events = [...generateFleet({ resources: 20, events: 300, seed: 5 })];
    const adapter = new MetricsAdapter();
    await project(adapter, stream(events));
    const live = flatten(adapter.series());
    await adapter.shadow.begin();
    expect(await adapter.readCheckpoint()).toBe(0);
    await project(adapter, stream(events.slice(0, 100)));
    expect(flatten(adapter.series())).toEqual(live);
    await project(adapter, stream(events.slice(100), 101));
    await adapter.shadow.swap();
    expect(flatten(adapter.series())).toEqual(live);
    expect(await adapter.readCheckpoint()).toBe(300);
  });

  it('starts empty at checkpoint 0, so the kit replays from sequence 1', async () => {
    const adapter = new MetricsAdapter();
    await adapter.initialize();
    expect(await adapter.readCheckpoint()).toBe(0);
    expect(adapter.series().resources.every((s) => s.value === 0)).toBe(true);
  });
});
