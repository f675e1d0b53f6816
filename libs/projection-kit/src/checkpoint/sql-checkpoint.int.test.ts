import { createTestDatabase, type TestDatabase } from '@cim/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointMovedError } from '../errors.js';
import {
  checkpointMovedFrom,
  ensureCheckpointGuard,
  ensureCheckpointTable,
  readSqlCheckpoint,
  sqlCheckpointAdvance,
  writeSqlCheckpoint,
} from './sql-checkpoint.js';

describe('SQL checkpoints on PostgreSQL', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const table = 'ck.checkpoints';
  beforeAll(async () => {
    db = await createTestDatabase('sql_checkpoint');
    pool = new pg.Pool({ connectionString: db.url });
    await pool.query('CREATE SCHEMA ck');
    await ensureCheckpointTable(pool, table);
    await ensureCheckpointGuard(pool, table);
    await ensureCheckpointGuard(pool, table); // idempotent
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('writes from the expected checkpoint only, and says where the store is otherwise', async () => {
    await writeSqlCheckpoint(pool, 'p', 10, 0, table);
    await expect(writeSqlCheckpoint(pool, 'p', 20, 0, table)).rejects.toMatchObject({
      name: 'CheckpointMovedError',
      expected: 0,
      stored: 10,
    });
    expect(await readSqlCheckpoint(pool, 'p', table)).toBe(10);
  });

  it('advances in a multi-statement message, or raises so that its COMMIT never runs', async () => {
    const client = await pool.connect();
    const inline = (expected: number, next: number) => {
      const { text, values } = sqlCheckpointAdvance('q', next, expected, table);
      return text.replace(/\$(\d)/g, (_, i: string) => {
        const v = values[Number(i) - 1];
        return typeof v === 'string' ? `'${v}'` : String(v);
      });
    };
    try {
      // A missing row holds 0.
      await client.query(`BEGIN; ${inline(0, 5)}; COMMIT`);
      expect(await readSqlCheckpoint(pool, 'q', table)).toBe(5);
      await client.query(`BEGIN; ${inline(5, 9)}; COMMIT`);
      expect(await readSqlCheckpoint(pool, 'q', table)).toBe(9);
      const failed = await client
        .query(`BEGIN; UPDATE ${table} SET sequence = 1000 WHERE projector = 'q'; ${inline(5, 12)}; COMMIT`)
        .catch((e: unknown) => e);
      const moved = checkpointMovedFrom(failed, 5);
      expect(moved).toBeInstanceOf(CheckpointMovedError);
      // The message's earlier write saw 1000 in its own transaction: that is what it reports.
      expect(moved).toMatchObject({ expected: 5, stored: 1000 });
      await client.query('ROLLBACK');
      expect(await readSqlCheckpoint(pool, 'q', table)).toBe(9);
      expect(checkpointMovedFrom(new Error('other'), 5)).toBeUndefined();
    } finally {
      client.release();
    }
  });
});
