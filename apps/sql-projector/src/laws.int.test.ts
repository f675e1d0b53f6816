import type { InfrastructureEvent } from '@cim/contract';
import { generateFleet } from '@cim/fleet-generator';
import type { PrefoldedBatch, StreamEvent } from '@cim/projection-kit';
import { checkProjectionLaws } from '@cim/projection-kit/laws';
import { createTestDatabase, type TestDatabase } from '@cim/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedStatements } from './batched-transaction.js';
import { COPY_MIN_ROWS } from './copy-rows.js';
import { type OpenDatabase, openDatabase } from './database.js';
import { networkChurnStream } from './network-churn.fixture.js';
import { referenceModel } from './reference-model.fixture.js';
import { snapshotModel } from './snapshot.fixture.js';
import { SqlProjectionAdapter } from './sql-adapter.js';

const streamEvents = (events: Iterable<InfrastructureEvent>): StreamEvent[] =>
  [...events].map((event, i) => ({ sequence: i + 1, subject: '', timestamp: new Date(), event }));

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
    // Its small batches ran prepared: every statement shape the model writes can be.
    expect(refusedStatements()).toEqual([]);
  }, 120_000);

  // Large batches send their audit rows (and the 300 resources' interfaces and addresses) as COPY,
  // which cannot skip rows it meets (write-effects.test.ts: which inserts a batch copies).
  it.each([
    { resources: 10, events: 200, split: 120 },
    { resources: 300, events: 4 * COPY_MIN_ROWS, split: 2 * COPY_MIN_ROWS },
  ])(
    're-applying the last batch (its commit was lost on the wire, not in the store) changes nothing: $events events',
    async ({ resources, events: count, split }) => {
      const events = [...generateFleet({ resources, events: count, seed: 9 })];
      const items: StreamEvent[] = events.map((event, i) => ({
        sequence: i + 1,
        subject: '',
        timestamp: new Date(),
        event,
      }));
      await adapter.reset();
      for (const batch of [items.slice(0, split), items.slice(split)])
        await adapter.transaction(async (tx) => {
          await adapter.project(batch, tx);
          await adapter.writeCheckpoint(batch.at(-1)!.sequence, tx, batch[0]!.sequence - 1);
        });
      const applied = await subject().snapshot();
      expect(applied).toEqual(referenceModel(items));
      await adapter.transaction((tx) => adapter.project(items.slice(split), tx));
      expect(await subject().snapshot()).toEqual(applied);
    },
  );

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

  it('writes a batch folded on arrival only if the commit it was folded after went through', async () => {
    const ahead = new SqlProjectionAdapter({ database, schema: 'ahead' });
    await ahead.initialize();
    const items = streamEvents(generateFleet({ resources: 8, events: 120, seed: 5 }));
    const cut = [0, 40, 70, 90, 105, 120];
    const [a, b, c, d, e] = cut.slice(1).map((to, i) => items.slice(cut[i], to));
    const commitWith = (adapter: SqlProjectionAdapter, batch: StreamEvent[]) =>
      adapter.transaction(async (tx) => {
        await adapter.project(batch, tx);
        await adapter.writeCheckpoint(batch.at(-1)!.sequence, tx, batch[0]!.sequence - 1);
      });
    const { prefold } = ahead;
    const foldOf = (batch: StreamEvent[], after?: PrefoldedBatch) => {
      const fold = prefold.open(after);
      for (const event of batch) fold.add(event);
      return fold;
    };
    /** Commits `batch` as the projector does with its fold; true if the fold was written. */
    const commitFolded = (batch: StreamEvent[], fold: PrefoldedBatch) =>
      ahead.transaction(async (tx) => {
        const written = await prefold.project(fold, tx);
        if (!written) await ahead.project(batch, tx);
        await ahead.writeCheckpoint(batch.at(-1)!.sequence, tx, batch[0]!.sequence - 1);
        return written;
      });

    await commitWith(ahead, a!);
    // Another writer commits b first (as when a commit is lost on the wire but not in the store):
    // this adapter's commit of b fails, and c was folded on the state that commit would leave.
    await commitWith(new SqlProjectionAdapter({ database, schema: 'ahead' }), b!);
    const foldB = foldOf(b!);
    const foldC = foldOf(c!, foldB);
    await expect(commitFolded(b!, foldB)).rejects.toMatchObject({ name: 'CheckpointMovedError', stored: 70 });
    expect(await commitFolded(c!, foldC)).toBe(false); // projected on the state reloaded from the store
    const foldD = foldOf(d!);
    const foldE = foldOf(e!, foldD); // while d commits
    expect(await commitFolded(d!, foldD)).toBe(true);
    expect(await commitFolded(e!, foldE)).toBe(true);
    expect(await snapshotModel(database.db, 'ahead', ahead.name)).toEqual(referenceModel(items));
  });

  it('obeys the projection laws when networks are defined, overlap and vanish around their addresses', async () => {
    await checkProjectionLaws(subject(), { runs: 8, stream: networkChurnStream });
  }, 120_000);
});
