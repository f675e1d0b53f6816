import type { StreamEvent } from '@cim/projection-kit';
import { checkProjectionLaws } from '@cim/projection-kit/laws';
import { createTestDatabase, type TestDatabase } from '@cim/test-support';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from './load-model.js';
import { SpaceAdapter } from './space-adapter.js';
import { resolveSpaceConfig } from './space-config.js';
import { ROW_COORDINATES_MAX } from './space-writes.js';

const config = resolveSpaceConfig();

// Aggregates are compared at 6 significant digits: the store keeps Welford sums updated event by event,
// the reference below recomputes them in two passes, and the two orders round differently in the last bits.
const r6 = (x: number) => (Math.abs(x) < 1e-9 ? 0 : Number(x.toPrecision(6)));
const orNull = (x: number) => (Number.isFinite(x) ? x : null);

interface Snapshot {
  resources: unknown[];
  dimensions: unknown[];
  concepts: unknown[];
}

const snapshotOf = async (adapter: SpaceAdapter): Promise<Snapshot> => {
  const db = adapter.db.withSchema(adapter.schema);
  const resources = await db.selectFrom('resources').selectAll().orderBy('id').execute();
  const dims = await db.selectFrom('dimensions').selectAll().orderBy('position').execute();
  const concepts = await db.selectFrom('concepts').selectAll().orderBy('position').execute();
  return {
    resources: resources.map((r) => ({
      ...r,
      registered_seq: Number(r.registered_seq),
      updated_seq: Number(r.updated_seq),
    })),
    dimensions: dims.map((d) => ({
      quality: d.quality,
      n: d.n,
      mean: r6(d.mean),
      sd: r6(d.n > 0 ? Math.sqrt(d.m2 / d.n) : 0),
    })),
    concepts: concepts.map((c) => ({
      key: c.key,
      members: c.members,
      counts: c.counts,
      mean: c.sums.map((s, i) => (c.counts[i]! > 0 ? r6(s / c.counts[i]!) : null)),
    })),
  };
};

/** An independent fold: per resource, last capacities and EMAs of measurements, then two-pass aggregates. */
const reference = (events: readonly StreamEvent[]): Snapshot => {
  type R = {
    id: string;
    hostname: string;
    type: string;
    status: string;
    coords: number[];
    samples: number;
    version: number;
    reg: number;
    upd: number;
  };
  const byId = new Map<string, R>();
  const dims = config.dimensions;
  const t = (q: string, v: number) => {
    const d = dims.find((x) => x.quality === q)!;
    return d.transform.kind === 'log' ? Math.log2(v + d.transform.offset) : v;
  };
  const at = (q: string) => dims.findIndex((d) => d.quality === q);
  const capacities = (r: R, p: Record<string, unknown>, full: boolean) => {
    for (const q of [
      'cpu_cores',
      'memory_mb',
      'storage_gb',
      'network_bandwidth_mbps',
      'connection_limit',
      'redundancy',
    ]) {
      if (typeof p[q] === 'number') r.coords[at(q)] = t(q, p[q] as number);
      else if (full) r.coords[at(q)] = Number.NaN;
    }
    const ifaces = p.interfaces as { mac?: string }[] | undefined;
    if (ifaces !== undefined || full) {
      const macs = (ifaces ?? []).filter((i) => i.mac !== undefined).map((i) => i.mac!);
      const isVirtual = (m: string) =>
        [
          '00:50:56',
          '00:0c:29',
          '00:05:69',
          '52:54:00',
          '00:16:3e',
          '00:15:5d',
          '08:00:27',
          '00:1c:42',
        ].includes(m.slice(0, 8)) || (Number.parseInt(m.slice(0, 2), 16) & 2) !== 0;
      r.coords[at('virtual_nic')] = macs.length === 0 ? Number.NaN : macs.every(isVirtual) ? 1 : 0;
    }
  };
  for (const { sequence, event: e } of events) {
    const r = byId.get(e.aggregate_id);
    const touch = (x: R) => Object.assign(x, { version: e.aggregate_version, upd: sequence });
    if (e.event_type === 'ComputeRegistered') {
      const x: R = r ?? {
        id: e.aggregate_id,
        hostname: '',
        type: '',
        status: '',
        coords: dims.map(() => Number.NaN),
        samples: 0,
        version: 0,
        reg: sequence,
        upd: 0,
      };
      Object.assign(x, { hostname: e.payload.hostname, type: e.payload.resource_type, status: 'active' });
      capacities(x, e.payload, true);
      byId.set(x.id, touch(x));
    } else if (r && e.event_type === 'ComputeUpdated') {
      if (e.payload.hostname) r.hostname = e.payload.hostname;
      if (e.payload.resource_type) r.type = e.payload.resource_type;
      if (e.payload.status && r.status !== 'decommissioned') r.status = e.payload.status;
      capacities(r, e.payload, false);
      touch(r);
    } else if (r && e.event_type === 'ComputeMeasured') {
      for (const [q, v] of Object.entries(e.payload)) {
        const i = at(q);
        if (i < 0 || typeof v !== 'number') continue;
        const x = t(q, v);
        const prev = r.coords[i]!;
        r.coords[i] = Number.isNaN(prev) ? x : prev + config.emaAlpha * (x - prev);
      }
      r.samples++;
      touch(r);
    } else if (r && e.event_type === 'ComputeDecommissioned') {
      touch(Object.assign(r, { status: 'decommissioned' }));
    }
  }
  const all = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const live = all.filter((r) => r.status !== 'decommissioned');
  const conceptOf = (type: string) =>
    config.concepts.find((c) => (c.types as string[]).includes(type))?.key ?? null;
  const valuesAt = (rs: R[], i: number) => rs.map((r) => r.coords[i]!).filter((v) => !Number.isNaN(v));
  return {
    resources: all.map((r) => ({
      id: r.id,
      hostname: r.hostname,
      resource_type: r.type,
      concept: conceptOf(r.type),
      status: r.status,
      coords: r.coords.map(orNull),
      samples: r.samples,
      version: r.version,
      registered_seq: r.reg,
      updated_seq: r.upd,
    })),
    dimensions: dims.map((d) => {
      const v = valuesAt(live, d.index);
      const mean = v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
      const sd = v.length ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) : 0;
      return { quality: d.quality, n: v.length, mean: r6(mean), sd: r6(sd) };
    }),
    concepts: config.concepts.map((c) => {
      const members = live.filter((r) => conceptOf(r.type) === c.key);
      return {
        key: c.key,
        members: members.length,
        counts: dims.map((d) => valuesAt(members, d.index).length),
        mean: dims.map((d) => {
          const v = valuesAt(members, d.index);
          return v.length ? r6(v.reduce((a, b) => a + b, 0) / v.length) : null;
        }),
      };
    }),
  };
};

describe('SpaceAdapter on PostgreSQL', () => {
  let db: TestDatabase;
  let adapter: SpaceAdapter;
  beforeAll(async () => {
    db = await createTestDatabase('space_laws');
    adapter = new SpaceAdapter({ connectionString: db.url, schema: 'space', name: 'space_laws' });
  });
  afterAll(async () => {
    await adapter?.close();
    await db?.drop();
  });

  it('obeys the projection laws, matching an independent in-memory fold', async () => {
    await checkProjectionLaws(
      { adapter, snapshot: () => snapshotOf(adapter), reference },
      { runs: 6, resources: 24, events: 400 },
    );
  });

  it('stores the same coordinates whether a batch sends them row by row or dimension by dimension', async () => {
    const events = [
      ...(await import('@cim/fleet-generator')).generateFleet({ resources: 80, events: 800, seed: 11 }),
    ].map((event, i) => ({ sequence: i + 1, subject: 's', timestamp: new Date(), event }));
    // Batches of 800 events touch more than ROW_COORDINATES_MAX resources; batches of 10, fewer.
    for (const size of [800, 10]) {
      await adapter.reset();
      for (let from = 0; from < events.length; from += size)
        await adapter.transaction(async (tx) => {
          const batch = events.slice(from, from + size);
          await adapter.project(batch, tx);
          await adapter.writeCheckpoint(batch.at(-1)!.sequence, tx, from);
        });
      expect(await snapshotOf(adapter), `batches of ${size}`).toEqual(reference(events));
    }
    expect(ROW_COORDINATES_MAX).toBeLessThan(80);
  });

  it('writes nothing when another writer moved the checkpoint first, then follows the store', async () => {
    await adapter.reset();
    const events = [
      ...(await import('@cim/fleet-generator')).generateFleet({ resources: 8, events: 100, seed: 5 }),
    ].map((event, i) => ({ sequence: i + 1, subject: 's', timestamp: new Date(), event }));
    const rival = new SpaceAdapter({ connectionString: db.url, schema: 'space', name: 'space_laws' });
    try {
      await rival.initialize();
      await rival.transaction(async (tx) => {
        await rival.project(events.slice(0, 60), tx);
        await rival.writeCheckpoint(60, tx, 0);
      });
      const written = await snapshotOf(rival);
      // This adapter still holds the empty model at 0: its batch must not land on the rival's store.
      const late = adapter.transaction(async (tx) => {
        await adapter.project(events.slice(0, 30), tx);
        await adapter.writeCheckpoint(30, tx, 0);
      });
      await expect(late).rejects.toMatchObject({ name: 'CheckpointMovedError', expected: 0, stored: 60 });
      expect(await snapshotOf(adapter)).toEqual(written);
      expect(await adapter.readCheckpoint()).toBe(60);
      // It reloaded the store's model: the kit's next batch continues from 60.
      await adapter.transaction(async (tx) => {
        await adapter.project(events.slice(60), tx);
        await adapter.writeCheckpoint(100, tx, 60);
      });
      expect(await snapshotOf(adapter)).toEqual(reference(events));
    } finally {
      await rival.close().catch(() => {});
    }
  });

  it('reloads its model when the store changed behind its back, and rebuilds on a new configuration', async () => {
    await adapter.reset();
    const events = (await import('@cim/fleet-generator')).generateFleet({
      resources: 10,
      events: 120,
      seed: 3,
    });
    const batch = [...events].map((event, i) => ({
      sequence: i + 1,
      subject: 's',
      timestamp: new Date(),
      event,
    }));
    await adapter.transaction(async (tx) => {
      await adapter.project(batch.slice(0, 80), tx);
      await adapter.writeCheckpoint(80, tx, 0);
    });
    const before = await snapshotOf(adapter);
    // Loading in pages of 3 rows gives the model the fold holds, in the same (registration) order.
    const paged = await loadModel(adapter.db, 'space', adapter.config, 3);
    expect([...paged.resources.values()]).toEqual([...adapter.model.resources.values()]);
    expect(paged.stats).toEqual(adapter.model.stats);
    // Someone restores an older copy: the checkpoint goes back to 0 and the rows vanish.
    await sql`TRUNCATE ${sql.table('space.resources')}, ${sql.table('space.checkpoints')}`.execute(
      adapter.db,
    );
    await adapter.transaction(async (tx) => {
      await adapter.project(batch.slice(0, 80), tx);
      await adapter.writeCheckpoint(80, tx, 0);
    });
    expect((await snapshotOf(adapter)).resources).toEqual(before.resources);

    const other = new SpaceAdapter({
      connectionString: db.url,
      schema: 'space',
      name: 'space_laws',
      config: resolveSpaceConfig({ emaAlpha: 0.5 }),
    });
    try {
      await other.initialize();
      expect(await other.readCheckpoint()).toBe(0);
      expect((await snapshotOf(other)).resources).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
