import type { InfrastructureEvent } from '@cim/contract';
import { natsTargets } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isEventStoreError } from './errors.js';
import { EventStore } from './event-store.js';
import { collect, computeRegistered, computeUpdated } from './test-events.fixture.js';
import { connectTo, openIsolatedStore } from './test-store.fixture.js';

describe.each(await natsTargets())('append on $name NATS $version', ({ url }) => {
  let nc: NatsConnection;
  let store: EventStore;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    nc = await connectTo(url);
  });
  beforeEach(async () => {
    ({ store, dispose } = await openIsolatedStore(nc, 'append'));
    return dispose;
  });
  afterAll(async () => {
    await nc.close();
  });

  it('stores the event on root.aggregate.operation with its identity headers', async () => {
    const event = computeRegistered();
    expect(await store.append(event)).toEqual({ ok: true, sequence: 1, duplicate: false });
    const [stored] = await collect(store.readAll());
    expect(stored?.subject).toBe(`${store.subjectRoot}.compute.registered`);
    expect(stored?.headers.toRecord()).toMatchObject({
      'Nats-Msg-Id': event.event_id,
      'Cim-Event-Type': 'ComputeRegistered',
      'Cim-Aggregate-Type': 'compute',
      'Cim-Aggregate-Id': event.aggregate_id,
      'Cim-Aggregate-Version': '1',
      'Cim-Correlation-Id': event.correlation_id,
      'Cim-Causation-Id': event.causation_id,
    });
    expect(JSON.parse(new TextDecoder().decode(stored?.data))).toEqual(event);
  });

  it('dedups on event_id: the same event twice is one message, the second flagged duplicate', async () => {
    const event = computeRegistered();
    const first = await store.append(event);
    const second = await store.append(event);
    expect(first).toEqual({ ok: true, sequence: 1, duplicate: false });
    expect(second).toEqual({ ok: true, sequence: 1, duplicate: true });
    expect(await store.lastSequence()).toBe(1);
  });

  it('appends when the expected last sequence holds, including 0 for an empty stream', async () => {
    const a = computeRegistered();
    expect(await store.append(a, { expectedLastSequence: 0 })).toMatchObject({ ok: true, sequence: 1 });
    expect(await store.append(computeUpdated(a.aggregate_id, 2), { expectedLastSequence: 1 })).toMatchObject({
      ok: true,
      sequence: 2,
    });
  });

  it('returns a version conflict, not an error, when the stream moved on', async () => {
    await store.append(computeRegistered());
    await store.append(computeRegistered());
    const result = await store.append(computeRegistered(), { expectedLastSequence: 1 });
    expect(result).toMatchObject({ ok: false, reason: 'version_conflict' });
    expect(!result.ok && result.message).toMatch(/expected the stream at sequence 1/);
    expect(await store.lastSequence()).toBe(2);
  });

  it('lets exactly one of 10 concurrent appends (10 connections) with the same expectation win', async () => {
    const a = computeRegistered();
    await store.append(a);
    const connections = await Promise.all(Array.from({ length: 10 }, () => connectTo(url)));
    try {
      const stream = { name: store.streamName, subjectRoot: store.subjectRoot };
      const writers = await Promise.all(
        connections.map((c) => EventStore.open(c, { stream, ensureStream: false })),
      );
      const results = await Promise.all(
        writers.map((w) => w.append(computeUpdated(a.aggregate_id, 2), { expectedLastSequence: 1 })),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'version_conflict')).toHaveLength(9);
      expect(await store.lastSequence()).toBe(2);
    } finally {
      await Promise.all(connections.map((c) => c.close()));
    }
  });

  it('reports a retried event as a duplicate even when its expectation is stale (every server)', async () => {
    const a = computeRegistered();
    await store.append(a, { expectedLastSequence: 0 });
    await store.append(computeRegistered());
    expect(await store.append(a, { expectedLastSequence: 0 })).toEqual({
      ok: true,
      sequence: 1,
      duplicate: true,
    });
    expect(await store.lastSequence()).toBe(2);
  });

  it('throws typed errors for what is not a conflict', async () => {
    const codeOf = async (p: Promise<unknown>) =>
      p.then(
        () => 'none',
        (e: unknown) => (isEventStoreError(e) ? e.code : e),
      );
    expect(await codeOf(store.append({ event_type: 'Nope' } as unknown as InfrastructureEvent))).toBe(
      'INVALID_EVENT',
    );
    expect(await codeOf(store.append(computeRegistered(), { expectedLastSequence: -1 }))).toBe(
      'INVALID_OPTIONS',
    );
    await (await jetstreamManager(nc)).streams.delete(store.streamName);
    const missing = await store.append(computeRegistered()).catch((e: unknown) => e);
    expect(isEventStoreError(missing) && missing.code).toBe('APPEND_FAILED');
    expect((missing as Error).message).toMatch(/no stream captures/);
  });
});
