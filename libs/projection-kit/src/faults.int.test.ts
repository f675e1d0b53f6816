import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { reachNats, startNewestNats, startTcpProxy, waitFor } from '@cim/test-support';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Projector } from './projector.js';
import { createKitHarness, fleet, type KitHarness } from './testing/harness.js';
import { PgReferenceAdapter } from './testing/pg-reference-adapter.js';

const debian = await reachNats(process.env.NATS_URL || 'nats://127.0.0.1:4222');

describe('faults', () => {
  let h: KitHarness;
  beforeAll(async () => {
    h = await createKitHarness(debian.url);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('survives a PostgreSQL outage mid-consumption: no DLQ entry, no loss, health degraded then ok', async () => {
    const proxy = await startTcpProxy('127.0.0.1', 5432);
    const url = new URL(h.db.url);
    url.host = `${proxy.host}:${proxy.port}`;
    const adapter = new PgReferenceAdapter({
      connectionString: url.toString(),
      name: 'pg_outage',
      schema: 'outage', // pg_ prefixes are reserved
      prefold: true, // a batch folded on arrival is retried through the outage
    });
    const p = await h.start(adapter, { maxBatch: 100 });
    try {
      await h.publish(fleet(21, 20, 3_000));
      await waitFor(async () => (await p.status()).checkpoint > 200, { timeoutMs: 20_000 });
      proxy.cut();
      await waitFor(async () => (await p.status()).health === 'degraded', {
        timeoutMs: 20_000,
        message: 'degraded',
      });
      await h.publish(fleet(22, 5, 200));
      await new Promise((r) => setTimeout(r, 1_500));
      proxy.restore();
      await h.waitForCheckpoint(p, await h.store.lastSequence(), 60_000);
      const status = await p.status();
      expect(status).toMatchObject({ health: 'ok', dead_lettered: 0, lag_events: 0 });
      expect(await p.dlq.count('pg_outage')).toBe(0);
      expect(await adapter.snapshot()).toEqual(h.expected());
    } finally {
      await p.stop();
      await proxy.close();
    }
  });

  it('survives a NATS server restart: no DLQ entry, no loss', async () => {
    const first = await startNewestNats();
    const port = Number(new URL(first.url).port);
    await first.stop();
    const storeDir = `${first.storeDir}-kept`;
    let server = await startNewestNats({ port, storeDir });
    const local = await createKitHarness(server.url);
    const nc = await connect({
      servers: server.url,
      noAsyncTraces: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 200,
    });
    const adapter = local.adapter('nats_restart');
    const p = await Projector.start({
      adapter,
      nc,
      stream: local.stream,
      subjectRoot: local.root,
      dlq: local.dlq,
      maxBatch: 100,
    });
    try {
      await local.publish(fleet(31, 10, 2_000));
      await waitFor(async () => (await p.status()).checkpoint > 100, { timeoutMs: 20_000 });
      await server.stop();
      await new Promise((r) => setTimeout(r, 1_000));
      server = await startNewestNats({ port, storeDir });
      await waitFor(async () => !local.nc.isClosed() && (await local.store.lastSequence()) > 0, {
        timeoutMs: 20_000,
      });
      await local.publish(fleet(32, 3, 100));
      await local.waitForCheckpoint(p, await local.store.lastSequence(), 60_000);
      expect((await p.status()).dead_lettered).toBe(0);
      expect(await adapter.snapshot()).toEqual(local.expected());
    } finally {
      await p.stop();
      await nc.close();
      await local.close();
      await server.stop();
      await rm(storeDir, { recursive: true, force: true });
    }
  });

  it('kill -9 at random points during a long replay ends with the from-scratch fold: none lost, none twice', async () => {
    await h.publish(fleet(41, 60, 12_000));
    const last = await h.store.lastSequence();
    const main = fileURLToPath(new URL('./testing/reference-projector-main.ts', import.meta.url));
    const env = {
      ...process.env,
      NATS_URL: debian.url,
      DATABASE_URL: h.db.url,
      PROJECTOR: 'killed',
      STREAM: h.stream,
      ROOT: h.root,
      DLQ_STREAM: h.dlq.stream,
      DLQ_PREFIX: h.dlq.prefix,
      MAX_BATCH: '150',
    };
    const observer = new PgReferenceAdapter({ connectionString: h.db.url, name: 'killed', schema: 'killed' });
    const checkpoint = async () => {
      try {
        return await observer.readCheckpoint();
      } catch {
        return 0;
      }
    };
    let midReplayKills = 0;
    for (let round = 0; round < 12 && (await checkpoint()) < last; round++) {
      const child = spawn(process.execPath, ['--conditions=@cim/source', '--import', 'tsx', main], {
        // Every other process folds on arrival: both paths meet the other's commits.
        env: { ...env, PREFOLD: round % 2 === 0 ? '1' : '' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 400));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const reached = await checkpoint();
      if (reached > 0 && reached < last) midReplayKills++;
    }
    // At least two kills must land while the replay was under way, or this proves nothing.
    expect(midReplayKills).toBeGreaterThanOrEqual(2);
    // Finish the replay with a last, unkilled run.
    const p = await h.start(observer);
    try {
      await h.waitForCheckpoint(p, last, 120_000);
      expect(await observer.snapshot()).toEqual(h.expected());
    } finally {
      await p.stop();
    }
  }, 180_000);
});
