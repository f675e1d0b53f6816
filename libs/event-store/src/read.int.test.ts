import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '@cim/contract';
import { natsTargets, waitFor } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEventStoreError } from './errors.js';
import { EventStore } from './event-store.js';
import { decodeStoredEvent } from './stored-event.js';
import {
  collect,
  computeRegistered,
  computeUpdated,
  eventIds,
  networkDefined,
} from './test-events.fixture.js';
import { connectTo, openIsolatedStore } from './test-store.fixture.js';

const seqs = (events: { sequence: number }[]) => events.map((e) => e.sequence);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.each(await natsTargets())('reads on $name NATS $version', ({ url }) => {
  let nc: NatsConnection;
  let store: EventStore;
  let dispose: () => Promise<void>;
  const a = newId();
  const b = newId();
  const appended: string[] = [];
  let midpoint: Date;

  beforeAll(async () => {
    nc = await connectTo(url);
    ({ store, dispose } = await openIsolatedStore(nc, 'read'));
    expect(await collect(store.readAll())).toEqual([]);
    // 1-4: a registered, b registered, network, a updated; 5-6 after the midpoint: b updated, a updated.
    const first = [
      computeRegistered({ aggregateId: a }),
      computeRegistered({ aggregateId: b }),
      networkDefined(),
      computeUpdated(a, 2),
    ];
    const second = [computeUpdated(b, 2), computeUpdated(a, 3)];
    for (const e of first) await store.append(e);
    await sleep(30);
    midpoint = new Date();
    await sleep(30);
    for (const e of second) await store.append(e);
    appended.push(...[...first, ...second].map((e) => e.event_id));
  });
  afterAll(async () => {
    await dispose();
    await nc.close();
  });

  it('reads everything in order, with subjects, stream timestamps and undecoded data', async () => {
    const all = await collect(store.readAll());
    expect(seqs(all)).toEqual(range(1, 6));
    expect(eventIds(all)).toEqual(appended);
    expect(all[2]?.subject).toBe(`${store.subjectRoot}.network.defined`);
    const times = all.map((e) => e.timestamp.getTime());
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(Math.abs((times[0] ?? 0) - Date.now())).toBeLessThan(60_000);
    const decoded = decodeStoredEvent(all[0]!);
    expect(decoded.ok && decoded.event.aggregate_id).toBe(a);
  });

  it('reads from a sequence, up to a sequence, and nothing past the end', async () => {
    expect(seqs(await collect(store.readAll({ fromSequence: 3 })))).toEqual([3, 4, 5, 6]);
    expect(seqs(await collect(store.readAll({ fromSequence: 2, untilSequence: 4 })))).toEqual([2, 3, 4]);
    expect(await collect(store.readAll({ fromSequence: 7 }))).toEqual([]);
    expect(await collect(store.readAll({ untilSequence: 0 }))).toEqual([]);
  });

  it('reads from a point in time', async () => {
    expect(seqs(await collect(store.readAll({ fromTime: midpoint })))).toEqual([5, 6]);
    expect(seqs(await collect(store.readAll({ fromTime: new Date(0) })))).toEqual(range(1, 6));
    expect(await collect(store.readAll({ fromTime: new Date(Date.now() + 60_000) }))).toEqual([]);
  });

  it('filters by one subject or several (client-side before 2.10), ending where the matches end', async () => {
    const root = store.subjectRoot;
    expect(seqs(await collect(store.readAll({ filterSubject: `${root}.network.>` })))).toEqual([3]);
    expect(seqs(await collect(store.readAll({ filterSubject: `${root}.policy.>` })))).toEqual([]);
    const several = await collect(
      store.readAll({ filterSubject: [`${root}.network.>`, `${root}.compute.registered`] }),
    );
    expect(seqs(several)).toEqual([1, 2, 3]);
  });

  it('stops at the last sequence of when the read started, even while others append', async () => {
    const before = await store.lastSequence();
    const { store: busy, dispose: done } = await openIsolatedStore(nc, 'busy');
    try {
      for (let i = 0; i < 20; i++) await busy.append(computeRegistered());
      const seen: number[] = [];
      for await (const e of busy.readAll({ batchSize: 3 })) {
        seen.push(e.sequence);
        if (seen.length <= 5) await busy.append(computeRegistered());
      }
      expect(seen).toEqual(range(1, 20));
      expect(await busy.lastSequence()).toBe(25);
    } finally {
      await done();
    }
    expect(await store.lastSequence()).toBe(before);
  });

  it('cleans up its consumer when the reader stops early', async () => {
    const jsm = await jetstreamManager(nc);
    for await (const e of store.readAll({ batchSize: 2 })) if (e.sequence === 2) break;
    await waitFor(async () => (await jsm.consumers.list(store.streamName).next()).length === 0, {
      message: 'no consumers left on the stream',
    });
  });

  it("reads one aggregate's history in order, with the stream sequence to expect next", async () => {
    const history = await store.readAggregate('compute', a);
    expect(seqs(history.events)).toEqual([1, 4, 6]);
    expect(history.events.map((e) => e.headers.get('Cim-Aggregate-Version'))).toEqual(['1', '2', '3']);
    expect(history.streamSequence).toBe(6);
    expect(seqs((await store.readAggregate('compute', b)).events)).toEqual([2, 5]);
    expect(await store.readAggregate('compute', newId())).toEqual({ events: [], streamSequence: 6 });
    expect(seqs((await store.readAggregate('compute', a, { untilSequence: 5 })).events)).toEqual([1, 4]);
  });

  it('rejects contradictory options', async () => {
    const err = await collect(store.readAll({ fromSequence: 1, fromTime: new Date() })).catch(
      (e: unknown) => e,
    );
    expect(isEventStoreError(err) && err.code).toBe('INVALID_OPTIONS');
  });

  it('fails, rather than ending quietly, when the connection closes mid-read', async () => {
    const own = await connectTo(url);
    const reader = await EventStore.open(own, {
      stream: { name: store.streamName, subjectRoot: store.subjectRoot },
      ensureStream: false,
    });
    const err = await (async () => {
      for await (const e of reader.readAll({ batchSize: 1 })) if (e.sequence === 2) await own.close();
    })().catch((e: unknown) => e);
    expect(isEventStoreError(err) && err.code).toBe('READ_FAILED');
  });
});
