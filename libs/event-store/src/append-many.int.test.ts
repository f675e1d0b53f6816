import type { InfrastructureEvent } from '@cim/contract';
import { natsTargets } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppendProgress } from './append-many.js';
import { isEventStoreError } from './errors.js';
import type { EventStore } from './event-store.js';
import { collect, computeRegistered, eventIds } from './test-events.fixture.js';
import { connectTo, openIsolatedStore } from './test-store.fixture.js';

const COUNT = 20_000;
const events = Array.from({ length: COUNT }, () => computeRegistered({ padding: 200 }));

async function* slowly(items: InfrastructureEvent[]) {
  for (const [i, item] of items.entries()) {
    if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    yield item;
  }
}

describe.each(await natsTargets())('appendMany on $name NATS $version', ({ url }) => {
  let nc: NatsConnection;
  let store: EventStore;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    nc = await connectTo(url);
  });
  beforeEach(async () => {
    ({ store, dispose } = await openIsolatedStore(nc, 'bulk'));
    return dispose;
  });
  afterAll(async () => {
    await nc.close();
  });

  it(`publishes ${COUNT} events exactly once, in order, reporting progress`, async () => {
    const progress: AppendProgress[] = [];
    const result = await store.appendMany(events, {
      onProgress: (p) => progress.push(p),
      progressEvery: 5_000,
    });
    expect(result).toEqual({
      count: COUNT,
      appended: COUNT,
      duplicates: 0,
      firstSequence: 1,
      lastSequence: COUNT,
    });
    expect(progress.map((p) => p.acked)).toEqual([5_000, 10_000, 15_000, 20_000, 20_000]);
    expect(progress.at(-1)).toEqual({
      submitted: COUNT,
      acked: COUNT,
      appended: COUNT,
      duplicates: 0,
      lastSequence: COUNT,
    });
    const stored = await collect(store.readAll());
    expect(stored.map((s) => s.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(eventIds(stored)).toEqual(events.map((e) => e.event_id));
  });

  it('dedups a re-run within the window and takes async sources', async () => {
    const some = events.slice(0, 1_000);
    await store.appendMany(some.slice(0, 400));
    const again = await store.appendMany(slowly(some), { inFlight: 16 });
    expect(again).toEqual({
      count: 1_000,
      appended: 600,
      duplicates: 400,
      firstSequence: 401,
      lastSequence: 1_000,
    });
    expect(await store.lastSequence()).toBe(1_000);
  });

  it('stops at an invalid event and says how far it got', async () => {
    const bad = [
      ...events.slice(0, 10),
      { event_type: 'Nope' } as unknown as InfrastructureEvent,
      ...events.slice(10, 20),
    ];
    const err = await store.appendMany(bad).catch((e: unknown) => e);
    expect(isEventStoreError(err) && err.code).toBe('INVALID_EVENT');
    expect((err as Error).message).toMatch(/10 of 10 events sent were acknowledged/);
    expect(await store.lastSequence()).toBe(10);
  });

  it('fails with APPEND_FAILED when no stream captures the events', async () => {
    await (await jetstreamManager(nc)).streams.delete(store.streamName);
    const err = await store.appendMany(events.slice(0, 100)).catch((e: unknown) => e);
    expect(isEventStoreError(err) && err.code).toBe('APPEND_FAILED');
    expect((err as Error).message).toMatch(/no stream captures/);
  });

  it('rejects a window of 0', async () => {
    const err = await store.appendMany(events.slice(0, 1), { inFlight: 0 }).catch((e: unknown) => e);
    expect(isEventStoreError(err) && err.code).toBe('INVALID_OPTIONS');
  });
});
