import { generateFleet } from '@cim/fleet-generator';
import { createTestDatabase, type TestDatabase } from '@cim/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatchedTransaction } from './batched-transaction.js';
import { type CopyStatement, copyField } from './copy-rows.js';
import { type OpenDatabase, openDatabase } from './database.js';
import { copyPatches } from './patch-copy.js';
import { SqlProjectionAdapter } from './sql-adapter.js';
import { patchRows } from './sql-bulk.js';

describe('patches copied in binary on PostgreSQL', () => {
  let db: TestDatabase;
  let database: OpenDatabase;
  let ids: string[];
  const SCHEMAS = ['copied', 'stated'] as const;
  beforeAll(async () => {
    db = await createTestDatabase('sqlp_patch_copy');
    // One connection: the temporary table a message created is there for the next one.
    database = await openDatabase({ url: db.url, poolSize: 1 });
    const registrations = [...generateFleet({ resources: 40, events: 400, seed: 5 })]
      .filter((e) => e.event_type === 'ComputeRegistered')
      .map((event, i) => ({ sequence: i + 1, subject: '', timestamp: new Date(), event }));
    for (const schema of SCHEMAS) {
      const adapter = new SqlProjectionAdapter({ database, schema });
      await adapter.initialize();
      await adapter.transaction((tx) => adapter.project(registrations, tx));
    }
    ids = registrations.map((r) => r.event.aggregate_id);
  });
  afterAll(async () => {
    await database?.close();
    await db?.drop();
  });

  const table = async (schema: string) =>
    (await database.pool!.query(`SELECT * FROM ${schema}.compute_resources ORDER BY id`)).rows;

  /** Patches of every keep rule: set by all rows, by some (none to NULL), by some with NULL. */
  const patchesOf = (round: number) =>
    new Map<string, object>(
      ids.map((id, i) => [
        id,
        {
          cpu_utilization: (i * 7 + round) / 100,
          aggregate_version: 10 + round,
          measured_at: `2025-02-0${1 + round}T10:00:${String(i % 60).padStart(2, '0')}.12345${i % 10}Z`,
          ...(i % 3 === 0 && { memory_utilization: i / 50 }),
          ...(i % 4 === 0 && { os: i % 8 === 0 ? null : `linux-${round}` }),
          ...(i % 5 === 0 && { labels: { team: `t${i}`, note: 'tab\tand "quote" ✓' } }),
        },
      ]),
    );

  it('writes what the statements write, every keep rule and type, message after message', async () => {
    for (const round of [0, 1]) {
      const patches = patchesOf(round);
      const copy = copyPatches('copied', 'compute_resources', [...patches], () =>
        patchRows('copied', 'compute_resources', patches),
      );
      expect(copy?.copy).toMatch(/^COPY pg_temp\.cim_patch_\d+ \(.*\) FROM STDIN \(FORMAT binary\)$/);
      await runBatchedTransaction(database.pool!, [copy!]);
      await runBatchedTransaction(database.pool!, patchRows('stated', 'compute_resources', patches));
    }
    const [copied, stated] = [await table('copied'), await table('stated')];
    expect(copied).toHaveLength(ids.length);
    expect(copied).toEqual(stated);
    expect(copied.filter((r) => r.os === null).length).toBeGreaterThan(0);
    expect(copied.every((r) => r.aggregate_version === 11)).toBe(true);
  });

  it('leaves to the statements what binary COPY cannot take', () => {
    const patches: [string, object][] = [[ids[0]!, { measured_at: '2025-02-01T10:00:00+01:00' }]];
    expect(copyPatches('copied', 'compute_resources', patches, () => [])).toBeUndefined();
  });

  it('runs the statements instead when another copy of the message meets a row the table holds', async () => {
    await database.pool!.query('CREATE TABLE copied.keyed (id int PRIMARY KEY)');
    await database.pool!.query('INSERT INTO copied.keyed VALUES (1)');
    const keyed: CopyStatement = {
      copy: 'COPY copied.keyed (id) FROM STDIN',
      data: `${copyField(1, 'int')}\n${copyField(2, 'int')}\n`,
      instead: () => [
        { sql: 'INSERT INTO copied.keyed VALUES (1), (2) ON CONFLICT DO NOTHING', parameters: [] },
      ],
    };
    const patches = new Map<string, object>(
      ids.map((id) => [id, { cpu_utilization: 0.99, aggregate_version: 20 }]),
    );
    const copy = copyPatches('copied', 'compute_resources', [...patches], () =>
      patchRows('copied', 'compute_resources', patches),
    )!;
    await runBatchedTransaction(database.pool!, [copy, keyed]);
    const rows = await table('copied');
    expect(rows.every((r) => r.cpu_utilization === 0.99 && r.aggregate_version === 20)).toBe(true);
    const keys = await database.pool!.query('SELECT id FROM copied.keyed ORDER BY id');
    expect(keys.rows).toEqual([{ id: 1 }, { id: 2 }]);
  });
});
