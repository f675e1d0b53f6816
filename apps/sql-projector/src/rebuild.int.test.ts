import { generateFleet } from '@cim/fleet-generator';
import type { Projector } from '@cim/projection-kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlHarness, type SqlHarness } from './projector-harness.fixture.js';
import type { ReadModel } from './read-model.js';
import { REPORTS } from './reports.js';
import { SECONDARY_INDEXES } from './secondary-indexes.js';

const total = (rows: readonly Record<string, unknown>[], key: string) =>
  rows.reduce((sum, r) => sum + Number(r[key]), 0);

describe('zero-downtime rebuild', () => {
  let h: SqlHarness;
  let p: Projector;
  let model: ReadModel;

  beforeAll(async () => {
    h = await createSqlHarness('sqlp_rebuild');
    await h.publish(generateFleet({ resources: 200, events: 4_000, seed: 11 }));
    // Small batches make the rebuild span many transactions, so readers overlap all of it.
    p = await h.start(await h.adapter('cim'), { maxBatch: 150 });
    await h.waitForCheckpoint(p, h.stored.length);
    model = await h.readModel('cim');
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
    await h?.close();
  });

  it('keeps serving whole reports while the shadow builds, swaps atomically and drops the old model', async () => {
    const baseline = {
      resources: total(await REPORTS.inventory(model), 'resources'),
      audited: (
        await model.db
          .selectFrom('event_audit')
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    };
    const seen = {
      queries: 0,
      duringRebuild: 0,
      minResources: Number.POSITIVE_INFINITY,
      minAudited: Number.POSITIVE_INFINITY,
    };
    const errors: unknown[] = [];
    let rebuilding = true;
    const reader = (async () => {
      while (rebuilding) {
        try {
          const [inventory, audited] = await Promise.all([
            REPORTS.inventory(model),
            model.db
              .selectFrom('event_audit')
              .select(sql<number>`count(*)::int`.as('n'))
              .executeTakeFirstOrThrow(),
            REPORTS['ip-usage'](model),
            REPORTS['policy-coverage'](model),
            REPORTS.connections(model),
          ]);
          seen.minResources = Math.min(seen.minResources, total(inventory, 'resources'));
          seen.minAudited = Math.min(seen.minAudited, audited.n);
          seen.queries++;
          if ((await p.status()).state === 'rebuilding') seen.duringRebuild++;
        } catch (error) {
          errors.push(error);
        }
      }
    })();

    const status = await p.rebuild();
    expect(status).toMatchObject({ state: 'rebuilding', rebuild: { shadow: true } });
    // The stream keeps growing during the rebuild.
    for (let i = 0; i < 3; i++) await h.publish(generateFleet({ resources: 10, events: 150, seed: 100 + i }));
    const last = await h.store.lastSequence();
    await h.waitForCheckpoint(p, last, 60_000);
    while ((await p.status()).state === 'rebuilding') await new Promise((r) => setTimeout(r, 50));
    rebuilding = false;
    await reader;

    expect(errors).toEqual([]);
    expect(seen.duringRebuild).toBeGreaterThan(3);
    expect(seen.minResources).toBeGreaterThanOrEqual(baseline.resources);
    expect(seen.minAudited).toBeGreaterThanOrEqual(baseline.audited);
    expect(await h.snapshot('cim')).toEqual(h.expected());
    const { rows } = await sql<{
      nspname: string;
    }>`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'cim%' ORDER BY 1`.execute(model.db);
    expect(rows.map((r) => r.nspname)).toEqual(['cim']);
    // Built after the bulk load, before the swap.
    const indexes = await sql<{
      indexname: string;
    }>`SELECT indexname FROM pg_indexes WHERE schemaname = 'cim'`.execute(model.db);
    expect(indexes.rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining(SECONDARY_INDEXES.map((i) => i.name)),
    );
    expect(await p.status()).toMatchObject({ state: 'running', checkpoint: last, dead_lettered: 0 });
    // Live batches after the swap land in the swapped-in tables: statements prepared before it
    // named `cim` (the tables now dropped) and `cim_shadow` (the tables now live).
    // Small batches, so that their statements run prepared.
    const live = [...generateFleet({ resources: 10, events: 60, seed: 200 })];
    for (let i = 0; i < live.length; i += 5) {
      await h.publish(live.slice(i, i + 5));
      await h.waitForCheckpoint(p, await h.store.lastSequence(), 30_000);
    }
    expect(await h.snapshot('cim')).toEqual(h.expected());
  }, 120_000);
});
