import { generateFleet } from '@cim/fleet-generator';
import { createTestDatabase, type TestDatabase } from '@cim/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatchedTransaction } from './batched-transaction.js';
import { type OpenDatabase, openDatabase } from './database.js';
import { SqlProjectionAdapter } from './sql-adapter.js';
import { patchRows } from './sql-bulk.js';

describe('set-based patches on PostgreSQL', () => {
  let db: TestDatabase;
  let database: OpenDatabase;
  let adapter: SqlProjectionAdapter;
  let ids: string[];
  beforeAll(async () => {
    db = await createTestDatabase('sqlp_bulk');
    database = await openDatabase({ url: db.url });
    adapter = new SqlProjectionAdapter({ database, schema: 'bulk' });
    await adapter.initialize();
    const registrations = [...generateFleet({ resources: 3, events: 60, seed: 4 })]
      .filter((e) => e.event_type === 'ComputeRegistered')
      .slice(0, 3)
      .map((event, i) => ({ sequence: i + 1, subject: '', timestamp: new Date(), event }));
    await adapter.transaction((tx) => adapter.project(registrations, tx));
    ids = registrations.map((r) => r.event.aggregate_id);
  });
  afterAll(async () => {
    await adapter?.close();
    await db?.drop();
  });

  const rows = async () =>
    (
      await database.pool!.query(
        `SELECT id, os, cpu_utilization, memory_utilization FROM bulk.compute_resources WHERE id = ANY($1::uuid[])`,
        [ids],
      )
    ).rows.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));

  it('keeps what a patch does not mention, sets what it does, NULL included', async () => {
    expect(ids).toHaveLength(3);
    const [a, b, c] = ids as [string, string, string];
    const first = new Map(
      ids.map((id, i) => [id, { cpu_utilization: 0.25 * (i + 1), memory_utilization: 0.5 }]),
    );
    await runBatchedTransaction(database.pool!, patchRows('bulk', 'compute_resources', first));
    const before = await rows();
    expect(before.map((r) => [r.cpu_utilization, r.memory_utilization])).toEqual([
      [0.25, 0.5],
      [0.5, 0.5],
      [0.75, 0.5],
    ]);
    expect(before.every((r) => r.os !== null)).toBe(true);
    // cpu_utilization: set by two rows, none to NULL; memory_utilization: by one; os: one sets NULL.
    const patches = new Map<string, object>([
      [a, { cpu_utilization: 0.5 }],
      [b, { memory_utilization: 0.25 }],
      [c, { cpu_utilization: 0.75, os: null }],
    ]);
    await runBatchedTransaction(database.pool!, patchRows('bulk', 'compute_resources', patches));
    expect(await rows()).toEqual([
      { id: a, os: before[0].os, cpu_utilization: 0.5, memory_utilization: before[0].memory_utilization },
      { id: b, os: before[1].os, cpu_utilization: before[1].cpu_utilization, memory_utilization: 0.25 },
      { id: c, os: null, cpu_utilization: 0.75, memory_utilization: before[2].memory_utilization },
    ]);
  });
});
