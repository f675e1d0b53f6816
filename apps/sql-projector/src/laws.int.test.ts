import { generateFleet } from '@cim/fleet-generator';
import type { StreamEvent } from '@cim/projection-kit';
import { checkProjectionLaws } from '@cim/projection-kit/laws';
import { createTestDatabase, type TestDatabase } from '@cim/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from './database.js';
import { networkChurnStream } from './network-churn.fixture.js';
import { referenceModel } from './reference-model.fixture.js';
import { snapshotModel } from './snapshot.fixture.js';
import { SqlProjectionAdapter } from './sql-adapter.js';

describe('SQL adapter on PostgreSQL', () => {
  let db: TestDatabase;
  let database: OpenDatabase;
  let adapter: SqlProjectionAdapter;
  beforeAll(async () => {
    db = await createTestDatabase('sqlp_laws');
    database = await openDatabase({ url: db.url });
    adapter = new SqlProjectionAdapter({ database, schema: 'laws' });
  });
  afterAll(async () => {
    await adapter?.close();
    await db?.drop();
  });

  const subject = () => ({
    adapter,
    snapshot: () => snapshotModel(database.db, 'laws', adapter.name),
    reference: referenceModel,
  });

  it('obeys the projection laws on generated fleets', async () => {
    await checkProjectionLaws(subject(), { runs: 6, resources: 10, events: 160 });
  }, 120_000);

  it('re-applying the last batch (its commit was lost on the wire, not in the store) changes nothing', async () => {
    const events = [...generateFleet({ resources: 10, events: 200, seed: 9 })];
    const items: StreamEvent[] = events.map((event, i) => ({
      sequence: i + 1,
      subject: '',
      timestamp: new Date(),
      event,
    }));
    await adapter.reset();
    for (const batch of [items.slice(0, 120), items.slice(120)])
      await adapter.transaction(async (tx) => {
        await adapter.project(batch, tx);
        await adapter.writeCheckpoint(batch.at(-1)!.sequence, tx, batch[0]!.sequence - 1);
      });
    const applied = await subject().snapshot();
    expect(applied).toEqual(referenceModel(items));
    await adapter.transaction((tx) => adapter.project(items.slice(120), tx));
    expect(await subject().snapshot()).toEqual(applied);
  });

  it('writes nothing of a batch whose checkpoint moved behind its back, and says where the store is', async () => {
    const items: StreamEvent[] = [...generateFleet({ resources: 6, events: 80, seed: 4 })].map(
      (event, i) => ({
        sequence: i + 1,
        subject: '',
        timestamp: new Date(),
        event,
      }),
    );
    await adapter.reset();
    await adapter.transaction(async (tx) => {
      await adapter.project(items.slice(0, 40), tx);
      await adapter.writeCheckpoint(40, tx, 0);
    });
    const before = await subject().snapshot();
    // Another writer (or a restore) moved the checkpoint.
    await database.pool!.query(`UPDATE laws.projection_checkpoints SET sequence = 60 WHERE projector = $1`, [
      adapter.name,
    ]);
    const late = adapter.transaction(async (tx) => {
      await adapter.project(items.slice(40), tx);
      await adapter.writeCheckpoint(80, tx, 40);
    });
    await expect(late).rejects.toMatchObject({ name: 'CheckpointMovedError', expected: 40, stored: 60 });
    const after = await subject().snapshot();
    expect({ ...after, checkpoint: undefined }).toEqual({ ...before, checkpoint: undefined });
    expect(await adapter.readCheckpoint()).toBe(60);
  });

  it('obeys the projection laws when networks are defined, overlap and vanish around their addresses', async () => {
    await checkProjectionLaws(subject(), { runs: 8, stream: networkChurnStream });
  }, 120_000);
});
