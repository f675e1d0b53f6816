import { createEvent, type InfrastructureEvent, newId, rootIdentity } from '@cim/contract';
import { foldBatch, type StreamEvent } from '@cim/projection-kit';
import { describe, expect, it } from 'vitest';
import { fleetStream, foldStream } from './fleet-space.js';
import { beginBatch, commitBatch, emptyModel, spaceProjection, stackBatch } from './model.js';
import { resolveSpaceConfig } from './space-config.js';

const config = resolveSpaceConfig();
const at = (q: Parameters<typeof config.indexOf>[0]) => config.indexOf(q)!;
const id = newId();
let version = 0;
const event = <T extends InfrastructureEvent['event_type']>(
  type: T,
  payload: Parameters<typeof createEvent<T>>[1]['payload'],
) =>
  createEvent(type, {
    aggregate_id: id,
    aggregate_version: ++version,
    identity: rootIdentity(newId()),
    payload,
  });
const stream = (events: InfrastructureEvent[]): StreamEvent[] =>
  events.map((e, i) => ({ sequence: i + 1, subject: 's', timestamp: new Date(), event: e }));

const fold = (events: InfrastructureEvent[]) => {
  const working = beginBatch(emptyModel(config));
  const { effects } = foldBatch(spaceProjection(config), working, stream(events));
  return { model: commitBatch(working), effects };
};

describe('the space projection', () => {
  version = 0;
  const registered = event('ComputeRegistered', {
    hostname: 'vm-1',
    resource_type: 'vm',
    cpu_cores: 4,
    memory_mb: 16_384,
    interfaces: [{ name: 'eth0', mac: '00:50:56:aa:bb:cc' }],
  });

  it('places a registered resource by its capacities (log scale) and NIC evidence', () => {
    const { model, effects } = fold([registered]);
    const r = model.resources.get(id)!;
    expect(r.type).toBe('virtual_machine');
    expect(config.concepts[r.concept]!.key).toBe('virtual_machine');
    expect(r.coords[at('cpu_cores')]).toBeCloseTo(Math.log2(4 + 1 / 16), 12);
    expect(r.coords[at('virtual_nic')]).toBe(1);
    expect(r.coords[at('storage_gb')]).toBeNaN();
    expect(model.stats.n[at('cpu_cores')]).toBe(1);
    expect(model.concepts.members[r.concept]).toBe(1);
    expect(effects.map((e) => e.kind)).toEqual(['put_resource', 'put_aggregates']);
  });

  it('smooths measurements with an exponential moving average in transformed units', () => {
    const m1 = event('ComputeMeasured', { cpu_utilization: 0.2 });
    const m2 = event('ComputeMeasured', { cpu_utilization: 0.6, error_rate: 0.01 });
    const r = fold([registered, m1, m2]).model.resources.get(id)!;
    expect(r.coords[at('cpu_utilization')]).toBeCloseTo(0.2 + config.emaAlpha * (0.6 - 0.2), 12);
    expect(r.coords[at('error_rate')]).toBeCloseTo(Math.log2(0.01 + 1e-4), 12);
    expect(r.samples).toBe(2);
  });

  it('moves concept membership when the type changes and leaves the statistics on decommission', () => {
    const retyped = event('ComputeUpdated', { resource_type: 'physical_server' });
    const { model } = fold([registered, retyped]);
    const physical = config.concepts.findIndex((c) => c.key === 'physical_server');
    const vm = config.concepts.findIndex((c) => c.key === 'virtual_machine');
    expect(model.concepts.members[physical]).toBe(1);
    expect(model.concepts.members[vm]).toBe(0);
    const gone = fold([registered, retyped, event('ComputeDecommissioned', { reason: 'eol' })]).model;
    expect(gone.resources.get(id)!.status).toBe('decommissioned');
    expect(Array.from(gone.stats.n).every((n) => n === 0)).toBe(true);
    expect(gone.concepts.members[physical]).toBe(0);
    expect(Array.from(gone.concepts.sums[physical]!).every((s) => s === 0)).toBe(true);
  });

  it('ignores events of other aggregates and of unknown resources', () => {
    const { effects } = fold([
      createEvent('NetworkDefined', {
        aggregate_id: newId(),
        aggregate_version: 1,
        identity: rootIdentity(newId()),
        payload: { name: 'n', cidr: '10.0.0.0/24' },
      }),
    ]);
    expect(effects).toEqual([]);
    expect(fold([event('ComputeMeasured', { cpu_utilization: 0.5 })]).effects).toEqual([]);
  });

  it('never touches the committed model while a batch is open', () => {
    const committed = fold([registered]).model;
    const working = beginBatch(committed);
    foldBatch(spaceProjection(config), working, stream([event('ComputeMeasured', { cpu_utilization: 0.9 })]));
    expect(committed.resources.get(id)!.samples).toBe(0);
    expect(committed.stats.n[at('cpu_utilization')]).toBe(0);
    expect(working.resources.get(id)!.samples).toBe(1);
  });

  it('folds to the same model whatever the batch size (composition, in memory)', () => {
    const events = [...fleetStream({ resources: 40, events: 900, seed: 5 })];
    const whole = foldStream(config, events, 10_000).model;
    const small = foldStream(config, events, 7).model;
    expect([...small.resources.values()]).toEqual([...whole.resources.values()]);
    expect(small.stats).toEqual(whole.stats);
    expect(small.concepts).toEqual(whole.concepts);
  });

  it('folds a batch stacked on one not committed yet to the model of folding them one after the other', () => {
    const events = [...fleetStream({ resources: 30, events: 600, seed: 8 })];
    const whole = foldStream(config, events, 10_000).model;
    const projection = spaceProjection(config);
    const first = beginBatch(emptyModel(config));
    foldBatch(projection, first, events.slice(0, 250));
    // Folding on arrival: the next batch opens on the first while the first still commits.
    const second = stackBatch(first);
    foldBatch(projection, second, events.slice(250));
    // The batch below is left as it was: it commits what it folded, nothing of the one above.
    const firstOnly = foldStream(config, events.slice(0, 250), 10_000).model;
    const committed = commitBatch(first);
    expect([...committed.resources.values()]).toEqual([...firstOnly.resources.values()]);
    expect(committed.stats).toEqual(firstOnly.stats);
    second.resources.unstack();
    const model = commitBatch(second);
    expect([...model.resources.values()]).toEqual([...whole.resources.values()]);
    expect(model.stats).toEqual(whole.stats);
    expect(model.concepts).toEqual(whole.concepts);
  });
});
