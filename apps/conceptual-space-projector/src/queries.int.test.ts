import { EventStore } from '@cim/event-store';
import { generateFleet, plantedAnomalies } from '@cim/fleet-generator';
import { Projector } from '@cim/projection-kit';
import { createTestDatabase, reachNats, type TestDatabase, uniqueName, waitFor } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveSpaceQueries } from './queries.js';
import { querySpace } from './query-client.js';
import { SpaceAdapter } from './space-adapter.js';
import { SpaceReader } from './space-reader.js';

const fleet = { resources: 600, events: 12_000, seed: 21 };

describe('conceptual-space projector over NATS and PostgreSQL', () => {
  let nc: NatsConnection;
  let store: EventStore;
  let db: TestDatabase;
  let adapter: SpaceAdapter;
  let projector: Projector;
  let reader: SpaceReader;
  let stopQueries: () => void;
  const root = uniqueName('space');
  const stream = root.toUpperCase();
  const prefix = `q_${root}`;
  const ask = <K extends Parameters<typeof querySpace>[1]>(
    kind: K,
    body?: Parameters<typeof querySpace<K>>[2],
  ) => querySpace(nc, kind, body, { prefix });

  beforeAll(async () => {
    const nats = await reachNats(process.env.NATS_URL || 'nats://127.0.0.1:4222');
    nc = await connect({ servers: nats.url, noAsyncTraces: true });
    store = await EventStore.open(nc, { stream: { name: stream, subjectRoot: root } });
    await store.appendMany(generateFleet(fleet));
    db = await createTestDatabase('space_queries');
    adapter = new SpaceAdapter({ connectionString: db.url, schema: 'space', name: `space_${root}` });
    projector = await Projector.start({
      adapter,
      nc,
      stream,
      subjectRoot: root,
      dlq: { stream: `${stream}_DLQ`, prefix: `dlq_${root}` },
      maxBatch: 2_000,
    });
    await waitFor(async () => (await projector.status()).checkpoint >= fleet.events, {
      timeoutMs: 60_000,
      message: 'the projection to catch up',
    });
    reader = new SpaceReader({
      connectionString: db.url,
      schema: 'space',
      projector: adapter.name,
      config: adapter.config,
      refreshMs: 0,
    });
    stopQueries = serveSpaceQueries(nc, reader, { prefix, queue: root }).stop;
  }, 120_000);

  afterAll(async () => {
    stopQueries?.();
    await projector?.stop();
    await reader?.close();
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => {});
    await jsm.streams.delete(`${stream}_DLQ`).catch(() => {});
    await store?.close();
    await nc?.close();
    await db?.drop();
  });

  it('classifies a VM of the fleet as a virtual machine and finds similar resources', async () => {
    const concepts = await ask('concepts');
    if (!concepts.ok) throw new Error(concepts.error.message);
    expect(concepts.checkpoint).toBe(fleet.events);
    const vmCount = concepts.concepts.find((c) => c.key === 'virtual_machine')!.members;
    expect(vmCount).toBeGreaterThan(100);

    // A live, measured VM of 4 cores or more (the smallest VMs border on containers).
    const view = await reader.view();
    const cores = view.config.indexOf('cpu_cores')!;
    const vm = view.live.find((r) => r.type === 'virtual_machine' && r.samples > 0 && r.coords[cores]! >= 2)!;
    const classified = await ask('classify', { id: vm.id });
    expect(classified).toMatchObject({
      ok: true,
      concept: 'virtual_machine',
      resource: { hostname: vm.hostname },
    });

    const similar = await ask('similar', { id: vm.id, k: 8 });
    if (!similar.ok) throw new Error(similar.error.message);
    expect(similar.results).toHaveLength(8);
    expect(
      similar.results.filter((r) => r.resource_type === 'virtual_machine').length,
    ).toBeGreaterThanOrEqual(5);
  });

  it('ranks the planted anomalies among the top anomalies', async () => {
    const planted = plantedAnomalies(fleet).filter((p) => p.kind !== 'memory_leak');
    const reply = await ask('anomalies', { k: planted.length });
    if (!reply.ok) throw new Error(reply.error.message);
    const ids = new Set(planted.map((p) => p.resource_id));
    const hits = reply.anomalies.filter((a) => ids.has(a.id)).length;
    expect(hits / reply.anomalies.length).toBeGreaterThanOrEqual(0.7);
    expect(reply.anomalies[0]!.reasons.length).toBeGreaterThan(0);
  });

  it('answers bad parameters, unknown ids and unknown queries with clear errors', async () => {
    expect(await ask('similar', { id: 'not-a-uuid', k: 3 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('id must be a resource UUID') },
    });
    expect(await ask('anomalies', { k: 10_000 })).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_REQUEST',
        message: expect.stringContaining('k must be an integer from 1 to 500'),
      },
    });
    expect(await ask('classify', { id: '01900000-0000-7000-8000-000000000000' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const raw = await nc.request(`${prefix}.classify`, new TextEncoder().encode('{nope'));
    expect(raw.json()).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('not JSON') },
    });
    const unknown = await nc.request(`${prefix}.nearest`, new TextEncoder().encode('{}'));
    expect(unknown.json()).toMatchObject({
      ok: false,
      error: {
        code: 'UNKNOWN_QUERY',
        message: expect.stringContaining('similar, classify, anomalies, concepts'),
      },
    });
  });

  it('rebuilds blue/green into a shadow schema and swaps it in with the same model', async () => {
    const before = await adapter.db
      .withSchema('space')
      .selectFrom('resources')
      .selectAll()
      .orderBy('id')
      .execute();
    await projector.rebuild();
    await waitFor(
      async () =>
        (await projector.status()).state === 'running' &&
        (await projector.status()).checkpoint >= fleet.events,
      { timeoutMs: 60_000, message: 'the rebuild to finish' },
    );
    const after = await adapter.db
      .withSchema('space')
      .selectFrom('resources')
      .selectAll()
      .orderBy('id')
      .execute();
    expect(after).toEqual(before);
    expect(await ask('concepts')).toMatchObject({ ok: true, checkpoint: fleet.events });
  });
});
