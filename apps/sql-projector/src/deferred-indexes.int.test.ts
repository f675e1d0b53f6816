import { generateFleet } from '@cim/fleet-generator';
import { waitFor } from '@cim/test-support';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlHarness, type SqlHarness } from './projector-harness.fixture.js';
import { SECONDARY_INDEXES } from './secondary-indexes.js';

const ALL = SECONDARY_INDEXES.map((i) => i.name).sort();

describe('secondary indexes of a replay into an empty model', () => {
  let h: SqlHarness;
  const indexesOf = async (schema: string): Promise<string[]> => {
    const model = await h.readModel(schema);
    const { rows } = await sql<{ indexname: string }>`
      SELECT indexname FROM pg_indexes WHERE schemaname = ${schema}`.execute(model.db);
    return rows
      .map((r) => r.indexname)
      .filter((name) => ALL.includes(name))
      .sort();
  };

  beforeAll(async () => {
    h = await createSqlHarness('sqlp_deferred');
    await h.publish(generateFleet({ resources: 100, events: 1_500, seed: 31 }));
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('are built once the replay has caught up, kept by a restart, and deferred again by a reset', async () => {
    const adapter = await h.adapter('cim');
    await adapter.initialize();
    expect(await indexesOf('cim')).toEqual([]);

    const p = await h.start(adapter, { maxBatch: 200 });
    try {
      await h.waitForCheckpoint(p, h.stored.length);
      await waitFor(async () => (await indexesOf('cim')).length === ALL.length, {
        message: 'secondary indexes after the catch-up',
      });
      expect(await h.snapshot('cim')).toEqual(h.expected());
    } finally {
      await p.stop();
    }

    // A model that holds events has its indexes from the start, even one lost by hand.
    const model = await h.readModel('cim');
    await sql`DROP INDEX cim.${sql.id(ALL[0]!)}`.execute(model.db);
    const restarted = await h.adapter('cim');
    await restarted.initialize();
    expect(await indexesOf('cim')).toEqual(ALL);

    // A reset empties the model for a replay: the indexes wait for its catch-up again.
    await restarted.reset();
    expect(await indexesOf('cim')).toEqual([]);
    await restarted.caughtUp();
    expect(await indexesOf('cim')).toEqual(ALL);
    await restarted.close();
  }, 60_000);
});
