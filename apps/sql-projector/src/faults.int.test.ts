import { createEvent, newId, rootIdentity } from '@cim/contract';
import { generateFleet } from '@cim/fleet-generator';
import { startTcpProxy, waitFor } from '@cim/test-support';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlProjectorMetrics } from './metrics.js';
import { createSqlHarness, type SqlHarness } from './projector-harness.fixture.js';

describe('faults', () => {
  let h: SqlHarness;
  beforeAll(async () => {
    h = await createSqlHarness('sqlp_faults');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('loses nothing when PostgreSQL drops the connection mid-batch: retried, never dead-lettered', async () => {
    const proxy = await startTcpProxy('127.0.0.1', 5432);
    const url = new URL(h.db.url);
    url.host = `${proxy.host}:${proxy.port}`;
    const registry = new Registry();
    const adapter = await h.adapter('outage', {
      url: url.toString(),
      name: 'sql_outage',
      metrics: createSqlProjectorMetrics(registry),
    });
    // Cut the link after the batch's rows are queued but before its checkpoint and commit.
    const { prefold } = adapter;
    const write = prefold.project;
    let batches = 0;
    let sawDegraded = false;
    prefold.project = async (batch, tx) => {
      const written = await write(batch, tx);
      if (++batches === 4) {
        proxy.cut();
        setTimeout(() => proxy.restore(), 1_500);
      }
      return written;
    };
    await h.publish(generateFleet({ resources: 60, events: 2_000, seed: 21 }));
    const p = await h.start(adapter, { maxBatch: 100 });
    try {
      await waitFor(
        async () => {
          const status = await p.status();
          sawDegraded ||= status.health === 'degraded';
          return status.checkpoint >= h.stored.length;
        },
        { timeoutMs: 60_000, intervalMs: 20, message: 'catch up after the outage' },
      );
      expect(batches).toBeGreaterThan(4);
      expect(sawDegraded).toBe(true);
      const status = await p.status();
      expect(status).toMatchObject({ health: 'ok', dead_lettered: 0, lag_events: 0 });
      expect(status.last_error?.message).toMatch(/PostgreSQL unavailable|Connection terminated|connect/i);
      expect(await p.dlq.count('sql_outage')).toBe(0);
      expect(await h.snapshot('outage', 'sql_outage')).toEqual(h.expected());
      // The backlog was folded on arrival, a batch ahead of each commit; the model above is right
      // across the failed commit all the same.
      const prefolded = await p.metrics.prefoldedBatches.get();
      const written = prefolded.values.find((v) => v.labels.outcome === 'written')?.value ?? 0;
      expect(written).toBeGreaterThan(5);
    } finally {
      await p.stop();
      await proxy.close();
    }
  }, 90_000);

  it('dead-letters malformed and deterministically failing events with reasons; good events flow', async () => {
    const p = await h.start(await h.adapter('poison', { name: 'sql_poison' }), { maxAttempts: 2 });
    try {
      await h.publish(generateFleet({ resources: 20, events: 200, seed: 3 }));
      await h.publishRaw('compute.registered', '{not json');
      const invalid = {
        ...h.stored[0]!.event,
        event_id: newId(),
        payload: { hostname: 'bad host!', resource_type: 'vm' },
      };
      await h.publishRaw(
        'compute.registered',
        JSON.stringify({ ...invalid, event_type: 'ComputeRegistered', aggregate_type: 'compute' }),
      );
      // New interfaces for a resource that was never registered break the interfaces' foreign key.
      const ghost = createEvent('ComputeUpdated', {
        aggregate_id: newId(),
        aggregate_version: 2,
        identity: rootIdentity(newId()),
        payload: { interfaces: [{ name: 'eth0', ips: ['10.0.0.9/24'] }] },
      });
      await h.publishRaw('compute.updated', JSON.stringify(ghost));
      // Software on a resource that was never registered breaks the foreign key.
      const orphan = createEvent('SoftwareConfigured', {
        aggregate_id: newId(),
        aggregate_version: 1,
        identity: rootIdentity(newId()),
        payload: { resource_id: newId(), name: 'nginx', version: '1.27.0' },
      });
      await h.publishRaw('software.configured', JSON.stringify(orphan));
      await h.publish(generateFleet({ resources: 5, events: 40, seed: 4 }));
      await h.waitForCheckpoint(p, await h.store.lastSequence());

      const letters = await p.dlq.list('sql_poison');
      expect(letters.map((l) => l.code)).toEqual([
        'INVALID_JSON',
        'INVALID_PAYLOAD',
        'HANDLER_FAILED',
        'HANDLER_FAILED',
      ]);
      expect(letters[1]!.reason).toMatch(/invalid hostname 'bad host!'/);
      expect(letters[2]!.reason).toMatch(/violates foreign key constraint "interfaces_resource_id_fkey"/);
      expect(letters[3]!.reason).toMatch(
        /violates foreign key constraint "software_installations_resource_id_fkey"/,
      );
      expect(await p.status()).toMatchObject({ dead_lettered: 4, health: 'ok', lag_events: 0 });
      expect(await h.snapshot('poison', 'sql_poison')).toEqual(h.expected());
    } finally {
      await p.stop();
    }
  }, 90_000);
});
