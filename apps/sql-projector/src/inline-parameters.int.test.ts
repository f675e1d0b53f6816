import { createTestDatabase, type TestDatabase } from '@cim/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineParameters, sqlLiteral } from './inline-parameters.js';

describe('inlineParameters on PostgreSQL', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase('inline_params');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('gives the simple protocol the values the parameters would have carried', async () => {
    const statement = {
      sql: `SELECT $1::text AS a, $2::text AS b, '$1 stays' AS c, "x$1" AS d, $3::bigint AS e,
                   $4::float8 AS f, $5::boolean AS g, $6::text AS h, $7::uuid[] AS i, $8::int AS k, $9::text AS l, $10::text AS j
            FROM (SELECT 1 AS "x$1") AS t`,
      parameters: [
        "it's",
        "back\\slash \\' and $2",
        -42,
        0.1,
        false,
        null,
        '{0194f3b2-7c1e-7a00-8000-000000000001}',
        null,
        null,
        'tenth',
      ],
    };
    const bound = await client.query(statement.sql, [...statement.parameters]);
    const inlined = await client.query(inlineParameters(statement));
    expect(inlined.rows).toEqual(bound.rows);
    expect(inlined.rows[0]).toMatchObject({ a: "it's", c: '$1 stays', e: '-42', j: 'tenth' });
    // Several statements in one message, as batched transactions send them.
    const results = (await client.query(
      `${inlineParameters({ sql: 'SELECT $1::int AS n', parameters: [1] })}; ${inlineParameters({ sql: 'SELECT $1::int AS n', parameters: [2] })}`,
    )) as unknown as pg.QueryResult[];
    expect(results.map((r) => r.rows[0].n)).toEqual([1, 2]);
  });

  it('refuses what it cannot send as a literal and placeholders without a value', () => {
    expect(() => sqlLiteral(Number.NaN)).toThrow(/NaN as an SQL literal/);
    expect(() => sqlLiteral({ a: 1 })).toThrow(/object as an SQL literal/);
    expect(() => inlineParameters({ sql: 'SELECT $2', parameters: [1] })).toThrow(/\$2 has no value/);
  });
});
