import { natsTargets, waitFor } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isEventStoreError } from './errors.js';
import type { EventStore } from './event-store.js';
import type { EventSubscription } from './live-subscription.js';
import type { StoredEvent } from './stored-event.js';
import { computeRegistered, eventIds, networkDefined } from './test-events.fixture.js';
import { connectTo, openIsolatedStore } from './test-store.fixture.js';

/** Iterates `sub` in the background, collecting what it yields; `done` settles when the iteration ends. */
const tail = (sub: EventSubscription) => {
  const seen: StoredEvent[] = [];
  const done = (async () => {
    for await (const e of sub) seen.push(e);
  })();
  return { seen, done };
};

describe.each(await natsTargets())('subscribe on $name NATS $version', ({ url }) => {
  let nc: NatsConnection;
  let store: EventStore;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    nc = await connectTo(url);
  });
  beforeEach(async () => {
    ({ store, dispose } = await openIsolatedStore(nc, 'live'));
    return dispose;
  });
  afterAll(async () => {
    await nc.close();
  });

  it('delivers the events appended after subscribing, in order, and not the earlier ones', async () => {
    await store.append(computeRegistered());
    const sub = await store.subscribe();
    expect(sub.startSequence).toBe(2);
    const { seen, done } = tail(sub);
    const later = [computeRegistered(), networkDefined(), computeRegistered()];
    for (const e of later) await store.append(e);
    await waitFor(() => seen.length === 3, { message: 'three live events' });
    expect(seen.map((e) => e.sequence)).toEqual([2, 3, 4]);
    expect(eventIds(seen)).toEqual(later.map((e) => e.event_id));
    await sub.stop();
    await done;
  });

  it('starts from a given sequence and then keeps following', async () => {
    for (let i = 0; i < 3; i++) await store.append(computeRegistered());
    const sub = await store.subscribe({ fromSequence: 2 });
    const { seen, done } = tail(sub);
    await store.append(computeRegistered());
    await waitFor(() => seen.length === 3, { message: 'history from 2 plus one live event' });
    expect(seen.map((e) => e.sequence)).toEqual([2, 3, 4]);
    await sub.stop();
    await done;
  });

  it('filters by subject, on the client where the server cannot', async () => {
    const root = store.subjectRoot;
    const one = await store.subscribe({ filterSubject: `${root}.network.>` });
    const two = await store.subscribe({ filterSubject: [`${root}.network.>`, `${root}.policy.>`] });
    const [t1, t2] = [tail(one), tail(two)];
    await store.append(computeRegistered());
    await store.append(networkDefined());
    await waitFor(() => t1.seen.length === 1 && t2.seen.length === 1, { message: 'the network event' });
    expect([t1.seen[0]?.sequence, t2.seen[0]?.sequence]).toEqual([2, 2]);
    await store.close();
    await Promise.all([t1.done, t2.done]);
  });

  it('ends the iteration and removes its consumer on stop, abort or close', async () => {
    const jsm = await jetstreamManager(nc);
    const controller = new AbortController();
    const stopped = await store.subscribe();
    const aborted = await store.subscribe({ signal: controller.signal });
    const closed = await store.subscribe();
    const tails = [tail(stopped), tail(aborted), tail(closed)];
    expect((await jsm.consumers.list(store.streamName).next()).length).toBe(3);
    await stopped.stop();
    controller.abort();
    await store.close();
    await Promise.all(tails.map((t) => t.done));
    await waitFor(async () => (await jsm.consumers.list(store.streamName).next()).length === 0, {
      message: 'no consumers left',
    });
    const err = await store.subscribe().catch((e: unknown) => e);
    expect(isEventStoreError(err) && err.code).toBe('CLOSED');
  });
});
