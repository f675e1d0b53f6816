import { createTestDatabase, type TestDatabase } from '@cim/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREPARED_MAX_VALUE_CHARS, runBatchedTransaction } from './batched-transaction.js';
import { type CopyStatement, copyField } from './copy-rows.js';

describe('batched transactions on PostgreSQL', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  // One connection, so that what one batch prepared is what the next one finds.
  beforeAll(async () => {
    db = await createTestDatabase('batched_tx');
    pool = new pg.Pool({ connectionString: db.url, max: 1 });
    await pool.query('CREATE TABLE t (id int PRIMARY KEY, label text)');
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const insert = (ids: number[], labels: (string | null)[]) => ({
    sql: 'INSERT INTO t (id, label) SELECT * FROM unnest($1::int[], $2::text[])',
    parameters: [`{${ids.join(',')}}`, `{${labels.map((l) => (l === null ? 'NULL' : `"${l}"`)).join(',')}}`],
  });
  const preparedTexts = async () =>
    (await pool.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements')).rows.map(
      (r) => r.statement,
    );

  it('runs each statement prepared once per connection, with its own values every time', async () => {
    await runBatchedTransaction(pool, [insert([1, 2], ['a', "it's"])]);
    await runBatchedTransaction(pool, [
      insert([3], [null]),
      { sql: 'DELETE FROM t WHERE id = 1', parameters: [] },
    ]);
    const { rows } = await pool.query('SELECT id, label FROM t ORDER BY id');
    expect(rows).toEqual([
      { id: 2, label: "it's" },
      { id: 3, label: null },
    ]);
    const texts = await preparedTexts();
    expect(texts.filter((t) => t.includes('INSERT INTO t'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('DELETE FROM t'))).toHaveLength(1);
  });

  it('runs a statement with large values inline: planned for them, not generically', async () => {
    const label = 'x'.repeat(PREPARED_MAX_VALUE_CHARS + 1);
    await runBatchedTransaction(pool, [
      { sql: 'UPDATE t SET label = $1::text WHERE id = 3', parameters: [label] },
    ]);
    expect((await pool.query('SELECT length(label) AS n FROM t WHERE id = 3')).rows).toEqual([
      { n: label.length },
    ]);
    expect((await preparedTexts()).filter((t) => t.includes('UPDATE t SET label'))).toHaveLength(0);
  });

  it('runs inline what PostgreSQL cannot prepare', async () => {
    // $1 has no type to infer: PREPARE refuses it, the simple protocol takes the literal.
    await runBatchedTransaction(pool, [
      { sql: "INSERT INTO t (id, label) SELECT 10, 'x' WHERE $1 IS NOT NULL", parameters: ['y'] },
    ]);
    expect((await pool.query('SELECT label FROM t WHERE id = 10')).rows).toEqual([{ label: 'x' }]);
  });

  it('prepares again what was deallocated behind its back', async () => {
    await pool.query('DEALLOCATE ALL');
    await runBatchedTransaction(pool, [insert([20], ['again'])]);
    expect((await pool.query('SELECT label FROM t WHERE id = 20')).rows).toEqual([{ label: 'again' }]);
  });

  it('writes nothing of a batch one of whose statements fails, and says why', async () => {
    await expect(
      runBatchedTransaction(pool, [insert([30], ['new']), insert([2], ['dup'])]),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await pool.query('SELECT count(*)::int AS n FROM t WHERE id = 30')).rows).toEqual([{ n: 0 }]);
    // The connection went back to the pool usable, outside any transaction.
    await runBatchedTransaction(pool, [insert([31], ['after'])]);
    expect((await pool.query('SELECT label FROM t WHERE id = 31')).rows).toEqual([{ label: 'after' }]);
  });

  const copy = (ids: number[], labels: (string | null)[]): CopyStatement => ({
    copy: 'COPY t (id, label) FROM STDIN',
    data: ids.map((id, i) => `${id}\t${copyField(labels[i], 'text')}\n`).join(''),
    instead: () => [
      {
        ...insert(ids, labels),
        sql: `${insert(ids, labels).sql} ON CONFLICT (id) DO NOTHING`,
      },
    ],
  });

  it('copies rows in between statements, in the same transaction', async () => {
    await runBatchedTransaction(pool, [
      insert([40], ['before']),
      copy([41, 42], ['a', null]),
      insert([43], ['after']),
    ]);
    const { rows } = await pool.query('SELECT id, label FROM t WHERE id BETWEEN 40 AND 49 ORDER BY id');
    expect(rows).toEqual([
      { id: 40, label: 'before' },
      { id: 41, label: 'a' },
      { id: 42, label: null },
      { id: 43, label: 'after' },
    ]);
  });

  it('writes nothing of a batch that fails after its copy', async () => {
    await expect(
      runBatchedTransaction(pool, [copy([50, 51], ['x', 'y']), insert([2], ['dup'])]),
    ).rejects.toMatchObject({
      code: '23505',
    });
    expect((await pool.query('SELECT count(*)::int AS n FROM t WHERE id IN (50, 51)')).rows).toEqual([
      { n: 0 },
    ]);
  });

  it('runs the statements instead of a copy that meets rows the table holds', async () => {
    await runBatchedTransaction(pool, [insert([60], ['kept'])]);
    await runBatchedTransaction(pool, [copy([60, 61], ['copied', 'new'])]);
    const { rows } = await pool.query('SELECT id, label FROM t WHERE id IN (60, 61) ORDER BY id');
    expect(rows).toEqual([
      { id: 60, label: 'kept' },
      { id: 61, label: 'new' },
    ]);
  });

  it("copies any value as the column's input function reads it", async () => {
    await pool.query('CREATE TABLE c (id int PRIMARY KEY, label text, doc jsonb, flag bool, x float8)');
    const values = [
      ['tab\there', { a: 'line\nbreak', b: ['back\\slash', '"q"'] }, true, 1.5],
      ['cr\rnl\n\\N and \\', null, false, -0.25],
      [null, [1, 'x\ty'], null, null],
      ['ünïcødé ✓ NULL', 'a string', true, 0],
    ] as const;
    const data = values
      .map(
        ([label, doc, flag, x], id) =>
          `${[id, copyField(label, 'text'), copyField(doc, 'jsonb'), copyField(flag, 'bool'), copyField(x, 'float8')].join('\t')}\n`,
      )
      .join('');
    await runBatchedTransaction(pool, [
      { copy: 'COPY c (id, label, doc, flag, x) FROM STDIN', data, instead: () => [] },
    ]);
    const { rows } = await pool.query('SELECT label, doc, flag, x FROM c ORDER BY id');
    expect(rows).toEqual(values.map(([label, doc, flag, x]) => ({ label, doc, flag, x })));
  });
});
