import { natsTargets } from '@cim/test-support';
import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureStream } from './ensure-stream.js';
import { isEventStoreError } from './errors.js';
import { EventStore } from './event-store.js';
import { connectTo, isolation } from './test-store.fixture.js';

const failure = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  return { code: isEventStoreError(e) ? e.code : e, message: e instanceof Error ? e.message : '' };
};

describe.each(await natsTargets())('ensureStream on $name NATS $version', ({ url }) => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const created: string[] = [];
  const fresh = () => {
    const s = isolation('ensure');
    created.push(s.name);
    return s;
  };

  beforeAll(async () => {
    nc = await connectTo(url);
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    for (const name of created) await jsm.streams.delete(name).catch(() => false);
    await nc.close();
  });

  it('creates a file stream on root.> that keeps all history, with a 2 minute dedup window', async () => {
    const s = fresh();
    const result = await ensureStream(jsm, s);
    expect(result.action).toBe('created');
    expect(result.info.config).toMatchObject({
      name: s.name,
      subjects: [`${s.subjectRoot}.>`],
      storage: 'file',
      retention: 'limits',
      num_replicas: 1,
      duplicate_window: 120_000_000_000,
      max_age: 0,
      max_bytes: -1,
      max_msgs: -1,
      discard: 'new',
    });
  });

  it('leaves a stream that matches unchanged, also when many processes ensure it at once', async () => {
    const s = fresh();
    // JetStream's create is idempotent for an identical config, so racing processes all succeed.
    const results = await Promise.all(Array.from({ length: 5 }, () => ensureStream(jsm, s)));
    expect(results.every((r) => r.info.config.name === s.name)).toBe(true);
    const again = await ensureStream(jsm, s);
    expect(again).toMatchObject({ action: 'unchanged', changes: [] });
  });

  it('updates what can change in place and keeps what it does not manage', async () => {
    const s = fresh();
    await jsm.streams.add({
      name: s.name,
      subjects: [`${s.subjectRoot}.>`],
      description: 'kept',
      max_msgs: 10,
    });
    const result = await ensureStream(jsm, { ...s, duplicateWindowMs: 30_000 });
    expect(result.action).toBe('updated');
    expect(result.changes.map((c) => c.field).sort()).toEqual(['discard', 'duplicate_window', 'max_msgs']);
    expect(result.info.config).toMatchObject({
      description: 'kept',
      max_msgs: -1,
      duplicate_window: 30_000_000_000,
    });
    const subjects = await ensureStream(jsm, {
      ...s,
      subjectRoot: `${s.subjectRoot}_v2`,
      duplicateWindowMs: 30_000,
    });
    expect(subjects.info.config.subjects).toEqual([`${s.subjectRoot}_v2.>`]);
  });

  it('refuses to change the storage type, naming what differs, and leaves the stream alone', async () => {
    const s = fresh();
    await ensureStream(jsm, { ...s, storage: 'memory' });
    const { code, message } = await failure(ensureStream(jsm, { ...s, duplicateWindowMs: 1_000 }));
    expect(code).toBe('STREAM_CONFIG_CONFLICT');
    expect(message).toContain('storage: "memory" → "file"');
    expect((await jsm.streams.info(s.name)).config.duplicate_window).toBe(120_000_000_000);
  });

  it('reports a server refusal clearly: subjects already captured by another stream', async () => {
    const s = fresh();
    await ensureStream(jsm, s);
    const other = { ...fresh(), subjectRoot: s.subjectRoot };
    const { code, message } = await failure(ensureStream(jsm, other));
    expect(code).toBe('STREAM_SETUP_FAILED');
    expect(message).toMatch(/overlap/);
  });

  it('opens without creating when told not to, and says the stream is missing', async () => {
    const s = fresh();
    expect((await failure(EventStore.open(nc, { stream: s, ensureStream: false }))).code).toBe(
      'STREAM_NOT_FOUND',
    );
    await ensureStream(jsm, s);
    const store = await EventStore.open(nc, { stream: { ...s, maxMsgs: 5 }, ensureStream: false });
    expect(store.setup).toBeUndefined();
    expect((await store.streamInfo()).config.max_msgs).toBe(-1);
    await store.close();
    expect(nc.isClosed()).toBe(false);
  });

  it('connect() makes and owns its connection: close() drains it', async () => {
    const s = fresh();
    const store = await EventStore.connect({ connection: { servers: url }, stream: s });
    expect(store.ownsConnection).toBe(true);
    expect(store.setup?.action).toBe('created');
    const closed = store.connection.closed();
    await store.close();
    await closed;
    expect(store.connection.isClosed()).toBe(true);
    expect((await failure(store.lastSequence())).code).toBe('CLOSED');
  });
});
