import { createEvent, newId, rootIdentity } from '@cim/contract';
import { natsTargets, waitFor } from '@cim/test-support';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherFleetStatus, requestAdmin } from './admin-client.js';
import { serveAdmin } from './admin-server.js';
import { parseDelivery } from './delivery.js';
import { startHttpServer } from './http-server.js';
import type { ProjectorStatus } from './status.js';
import { createKitHarness, fleet, type KitHarness } from './testing/harness.js';
import { PgReferenceAdapter } from './testing/pg-reference-adapter.js';

describe.each(await natsTargets())('projector on $name NATS $version', ({ url }) => {
  let h: KitHarness;
  beforeAll(async () => {
    h = await createKitHarness(url);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('catches up, then follows live events, with the model equal to a fold of the stream', async () => {
    await h.publish(fleet(1, 30, 1_500));
    const adapter = h.adapter('catchup');
    const p = await h.start(adapter);
    try {
      await h.waitForCheckpoint(p, h.stored.length);
      expect(await adapter.snapshot()).toEqual(h.expected());
      await h.publish(fleet(2, 5, 40));
      await h.waitForCheckpoint(p, h.stored.length);
      expect(await adapter.snapshot()).toEqual(h.expected());
      const status = await p.status();
      expect(status).toMatchObject({ state: 'running', health: 'ok', lag_events: 0, dead_lettered: 0 });
      expect(status.stream_last_sequence).toBe(h.stored.length);
    } finally {
      await p.stop();
    }
  });

  it("reads every delivery from its reply subject as nats.js does, without falling back to nats.js' parser", async () => {
    const jsm = await jetstreamManager(h.nc);
    await jsm.consumers.add(h.stream, { durable_name: 'delivery', ack_policy: AckPolicy.All });
    const consumer = await jetstream(h.nc).consumers.get(h.stream, 'delivery');
    const fetched = await consumer.fetch({ max_messages: 20 });
    let seen = 0;
    for await (const m of fetched) {
      const { streamSequence, timestampNanos, pending } = m.info;
      // `reply` is not on the JsMsg type; the projector reads it the same way (see deliveryOf).
      expect(parseDelivery((m as unknown as { reply: string }).reply)).toEqual({
        streamSequence,
        timestampMs: Math.floor(timestampNanos / 1e6),
        pending,
      });
      seen++;
    }
    expect(seen).toBe(20);
    await jsm.consumers.delete(h.stream, 'delivery');
  });

  it('commits a live trickle in groups: what arrives during a commit is the next transaction', async () => {
    const adapter = h.adapter('trickle');
    const p = await h.start(adapter);
    try {
      await h.waitForCheckpoint(p, h.stored.length);
      // A store whose transaction takes 50 ms, fed one event at a time (each publish awaits its ack,
      // a few ms here; the bound below holds while publishes average under ~16 ms).
      let transactions = 0;
      const transaction = adapter.transaction.bind(adapter);
      adapter.transaction = async (work) => {
        transactions++;
        await new Promise((r) => setTimeout(r, 50));
        return transaction(work);
      };
      const trickle = fleet(6, 10, 150);
      for (const event of trickle) await h.publish([event]);
      await h.waitForCheckpoint(p, h.stored.length);
      expect(await adapter.snapshot()).toEqual(h.expected());
      // One transaction per event (150) would be the store's limit at 20 events/s.
      expect(transactions).toBeLessThan(trickle.length / 3);
    } finally {
      await p.stop();
    }
  });

  it('replays what the store lost behind its back while it runs (lost commits, an older backup restored)', async () => {
    const adapter = h.adapter('rewind');
    const p = await h.start(adapter);
    const tables = ['event_counts', 'resources', 'checkpoints'];
    try {
      await h.waitForCheckpoint(p, h.stored.length);
      await p.pause();
      for (const t of tables)
        await adapter.pool.query(`CREATE TABLE rewind.${t}_backup AS TABLE rewind.${t}`);
      await p.resume();
      await h.publish(fleet(7, 5, 60));
      await h.waitForCheckpoint(p, h.stored.length);
      // The store goes back to the backup (one implicit transaction) while the projector runs.
      await adapter.pool.query(
        `TRUNCATE ${tables.map((t) => `rewind.${t}`).join(', ')};
         ${tables.map((t) => `INSERT INTO rewind.${t} SELECT * FROM rewind.${t}_backup;`).join('\n')}`,
      );
      await h.publish(fleet(8, 3, 30));
      await h.waitForCheckpoint(p, h.stored.length);
      expect(await adapter.snapshot()).toEqual(h.expected());
      const status = await p.status();
      expect(status.last_error?.message).toMatch(/^store checkpoint is \d+, expected \d+$/);
      expect(status.dead_lettered).toBe(0);
    } finally {
      await p.stop();
    }
  });

  it('tells the adapter once it has caught up (before the head commit is announced), again after a rebuild, and retries a failure', async () => {
    const before = h.stored.length;
    await h.publish(fleet(21, 20, 1_200));
    const calls: number[] = []; // the store's checkpoint at each call
    let failNext = false;
    const adapter = Object.assign(h.adapter('caughtup'), {
      async caughtUp() {
        calls.push(await adapter.readCheckpoint());
        if (failNext) {
          failNext = false;
          throw new Error('index build failed');
        }
      },
    });
    const p = await h.start(adapter, { maxBatch: 100 });
    const announced: { checkpoint: number; calls: number }[] = [];
    p.onCommit((checkpoint) => announced.push({ checkpoint, calls: calls.length }));
    try {
      await h.waitForCheckpoint(p, h.stored.length);
      await waitFor(async () => announced.at(-1)?.checkpoint === h.stored.length);
      expect(calls).toEqual([h.stored.length]);
      // Replay commits came before it; the commit that reached the head is announced after it.
      expect(announced.filter((a) => a.calls === 0).length).toBeGreaterThan((h.stored.length - before) / 200);
      expect(announced.at(-1)).toEqual({ checkpoint: h.stored.length, calls: 1 });

      // Live commits that catch up again do not repeat it.
      await h.publish(fleet(22, 3, 20));
      await h.waitForCheckpoint(p, h.stored.length);
      expect(calls).toHaveLength(1);

      // A rebuild is a new catch-up; a failed call is retried at the next commit that catches up.
      failNext = true;
      await p.rebuild({ shadow: false });
      await h.waitForCheckpoint(p, h.stored.length);
      await waitFor(async () => calls.length === 2);
      expect(calls[1]).toBe(h.stored.length);
      expect((await p.status()).last_error?.message).toBe('index build failed');
      await h.publish(fleet(23, 2, 5));
      await waitFor(async () => calls.length === 3);
      // At the first of its commits that found nothing pending (publishing may still go on).
      expect(calls[2]).toBeGreaterThan(calls[1]!);
      await h.publish(fleet(24, 2, 5));
      await h.waitForCheckpoint(p, h.stored.length);
      expect(calls).toHaveLength(3);
      expect(await adapter.snapshot()).toEqual(h.expected());
    } finally {
      await p.stop();
    }
  });

  it('resumes from the store checkpoint, and re-positions when the store was emptied by hand', async () => {
    const adapter = h.adapter('restart');
    let p = await h.start(adapter);
    await h.waitForCheckpoint(p, h.stored.length);
    await p.stop();
    await h.publish(fleet(3, 4, 30));
    const again = h.adapter('restart');
    p = await h.start(again);
    await h.waitForCheckpoint(p, h.stored.length);
    expect(await again.snapshot()).toEqual(h.expected());
    await p.stop();

    // A restored/emptied store: the consumer's ack floor is ahead of the store; nothing may be lost.
    const emptied = h.adapter('restart');
    await emptied.initialize();
    await emptied.reset();
    p = await h.start(emptied);
    await h.waitForCheckpoint(p, h.stored.length);
    expect(await emptied.snapshot()).toEqual(h.expected());
    await p.stop();
  });

  it('dead-letters poison events with reasons while good events flow, and replays them after a fix', async () => {
    const adapter = h.adapter('poison');
    adapter.failOn = (e) =>
      e.event.event_type === 'ComputeRegistered' && e.event.payload.hostname === 'bad-handler';
    const p = await h.start(adapter, { maxAttempts: 2 });
    try {
      await h.waitForCheckpoint(p, h.stored.length);
      const bad = createEvent('ComputeRegistered', {
        aggregate_id: newId(),
        aggregate_version: 1,
        identity: rootIdentity(newId()),
        payload: { hostname: 'bad-handler', resource_type: 'vm' },
      });
      await h.publishRaw('compute.registered', '{not json');
      await h.publishRaw(
        'compute.registered',
        JSON.stringify({ ...bad, event_id: newId(), schema_version: 9 }),
      );
      await h.publish([bad]);
      await h.publish(fleet(4, 3, 20));
      await h.waitForCheckpoint(p, await h.store.lastSequence());
      const letters = await p.dlq.list('poison');
      expect(letters.map((l) => l.code)).toEqual([
        'INVALID_JSON',
        'UNKNOWN_SCHEMA_VERSION',
        'HANDLER_FAILED',
      ]);
      expect(letters[1]!.reason).toMatch(/schema_version 9 is newer than this code knows/);
      // Exactly the reason: the bytes came back from the stream, not re-encoded (which the reason would say).
      expect(letters[2]!.reason).toBe(`handler rejects event ${letters[2]!.sequence}`);
      expect(JSON.parse(Buffer.from(letters[2]!.data_base64, 'base64').toString())).toEqual(bad);
      expect((await p.status()).dead_lettered).toBe(3);
      const withoutBad = h.expected((e) => e.event.event_id !== bad.event_id);
      expect(await adapter.snapshot()).toEqual(withoutBad);

      adapter.failOn = undefined; // the fix
      expect(await p.replayDeadLetters()).toEqual({ replayed: 1, remaining: 2 });
      expect(await adapter.snapshot()).toEqual(h.expected());
      expect((await p.dlq.list('poison')).map((l) => l.code)).toEqual([
        'INVALID_JSON',
        'UNKNOWN_SCHEMA_VERSION',
      ]);
    } finally {
      await p.stop();
    }
  });

  it('folds batches on arrival: written with their folds, a batch whose fold fails projected and its poison parked, the folds after it made again', async () => {
    await h.publish(fleet(41, 20, 1_200));
    const bad = createEvent('ComputeRegistered', {
      aggregate_id: newId(),
      aggregate_version: 1,
      identity: rootIdentity(newId()),
      payload: { hostname: 'bad-fold', resource_type: 'vm' },
    });
    await h.publish([bad]);
    await h.publish(fleet(42, 20, 1_200));
    const adapter = new PgReferenceAdapter({
      connectionString: h.db.url,
      name: 'prefold',
      schema: 'prefold',
      prefold: true,
      failOn: (e) => e.event.event_type === 'ComputeRegistered' && e.event.payload.hostname === 'bad-fold',
    });
    const p = await h.start(adapter, { maxAttempts: 1 });
    try {
      await h.waitForCheckpoint(p, h.stored.length);
      expect(await adapter.snapshot()).toEqual(h.expected((e) => e.event.event_id !== bad.event_id));
      // The stream also holds the poison events of the tests before (undecodable: parked as such).
      const failed = (await p.dlq.list('prefold')).filter((l) => l.code === 'HANDLER_FAILED');
      expect(failed.map((l) => JSON.parse(Buffer.from(l.data_base64, 'base64').toString()))).toEqual([bad]);
      expect(failed[0]!.reason).toBe(`handler rejects event ${failed[0]!.sequence}`);
      const outcomes = Object.fromEntries(
        (await p.metrics.prefoldedBatches.get()).values.map((v) => [v.labels.outcome, v.value]),
      );
      // Batches of 500: those holding a poison event are projected, the others written with their folds.
      expect(outcomes.projected).toBeGreaterThanOrEqual(1);
      expect(outcomes.projected).toBeLessThanOrEqual(3);
      expect(outcomes.written).toBeGreaterThanOrEqual(Math.ceil((await h.store.lastSequence()) / 500) - 3);
    } finally {
      await p.stop(); // closes the adapter
    }
  });

  it('halts at a poison event when told to', async () => {
    const adapter = h.adapter('halting');
    const p = await h.start(adapter, { haltOnPoison: true });
    try {
      await waitFor(async () => (await p.status()).state === 'halted', {
        timeoutMs: 20_000,
        message: 'halt',
      });
      const status = await p.status();
      expect(status.last_error?.message).toMatch(/halted at poison event \d+: not JSON/);
      expect(status.lag_events).toBeGreaterThan(0);
    } finally {
      await p.stop();
    }
  });

  it('answers admin requests: status, fleet status, pause/resume, rebuild while publishing, errors', async () => {
    const registry = new Registry();
    // Progress notices start once serveAdmin runs; checked after resume, when commits follow it.
    const notices: number[] = [];
    const progress = h.nc.subscribe(`${h.adminPrefix}.progress.admin`, {
      callback: (_e, m) => {
        notices.push((m.json() as { checkpoint: number }).checkpoint);
      },
    });
    const adapter = h.adapter('admin');
    const p = await h.start(adapter, { registry });
    const admin = serveAdmin(h.nc, p, { prefix: h.adminPrefix });
    const http = await startHttpServer({ registry, sources: [p] });
    try {
      const last = await h.store.lastSequence();
      await h.waitForCheckpoint(p, last);
      const status = await requestAdmin<ProjectorStatus>(
        h.nc,
        'admin',
        'status',
        {},
        { prefix: h.adminPrefix },
      );
      expect(status).toMatchObject({
        ok: true,
        projector: 'admin',
        result: { checkpoint: last, lag_events: 0 },
      });
      const fleetStatus = await gatherFleetStatus(h.nc, { prefix: h.adminPrefix, windowMs: 300 });
      expect(fleetStatus.map((s) => s.name)).toEqual(['admin']);

      expect(await requestAdmin(h.nc, 'admin', 'explode', {}, { prefix: h.adminPrefix })).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_VERB' },
      });
      const bad = await h.nc.request(`${h.adminPrefix}.projector.admin.rebuild`, '[1,2', { timeout: 2_000 });
      expect(bad.json()).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });

      const paused = await requestAdmin<ProjectorStatus>(
        h.nc,
        'admin',
        'pause',
        {},
        { prefix: h.adminPrefix },
      );
      expect(paused).toMatchObject({ ok: true, result: { state: 'paused' } });
      await h.publish(fleet(5, 3, 30));
      await new Promise((r) => setTimeout(r, 300));
      expect((await p.status()).checkpoint).toBe(last);
      expect((await p.status()).lag_events).toBe((await h.store.lastSequence()) - last);
      await requestAdmin(h.nc, 'admin', 'resume', {}, { prefix: h.adminPrefix });
      const resumedTo = await h.store.lastSequence();
      await h.waitForCheckpoint(p, resumedTo);
      await waitFor(() => notices.at(-1) === resumedTo, { message: 'a progress notice for the last commit' });
      progress.unsubscribe();

      // Rebuild (blue/green) while a publisher keeps writing; readers never see an empty model.
      const before = await adapter.snapshot();
      const rebuild = await requestAdmin<ProjectorStatus>(
        h.nc,
        'admin',
        'rebuild',
        {},
        { prefix: h.adminPrefix },
      );
      expect(rebuild).toMatchObject({ ok: true, result: { state: 'rebuilding', rebuild: { shadow: true } } });
      const writer = (async () => {
        for (let i = 0; i < 5; i++) await h.publish(fleet(10 + i, 2, 20));
      })();
      let sawEmpty = false;
      while ((await p.status()).state === 'rebuilding') {
        const snap = await adapter.snapshot();
        if (Object.keys(snap.resources).length < Object.keys(before.resources).length) sawEmpty = true;
      }
      await writer;
      await h.waitForCheckpoint(p, await h.store.lastSequence());
      expect(sawEmpty).toBe(false);
      expect(await adapter.snapshot()).toEqual(h.expected());

      const metrics = await (await fetch(`${http.url}/metrics`)).text();
      expect(metrics).toMatch(/cim_projector_events_applied_total\{projector="admin"\} \d+/);
      expect(metrics).toMatch(/cim_projector_rebuild_progress_ratio\{projector="admin"\} 1/);
      expect((await fetch(`${http.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${http.url}/readyz`)).status).toBe(200);
    } finally {
      admin.stop();
      await http.close();
      await p.stop();
    }
  });
});
