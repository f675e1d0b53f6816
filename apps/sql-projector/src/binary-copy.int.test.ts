import { createTestDatabase, type TestDatabase } from '@cim/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatchedTransaction } from './batched-transaction.js';
import { BinaryCopyEncoder, type BinaryType, decodeBinaryCopy } from './binary-copy.js';

const COLUMNS = [
  ['seq', 'bigint'],
  ['id', 'uuid'],
  ['label', 'text'],
  ['n', 'int'],
  ['at', 'timestamptz'],
] as const satisfies readonly (readonly [string, BinaryType])[];

/** Values at the edges of each type, as the projection hands them over. */
const ROWS = [
  {
    seq: 1,
    id: '0194f0c2-7a1b-7c3d-8e4f-5a6b7c8d9e0f',
    label: 'plain',
    n: 1,
    at: '2025-01-06T02:22:55.334Z',
  },
  {
    seq: 2 ** 53 - 1,
    id: 'ABCDEF01-2345-4789-8ABC-DEF012345678',
    label: '',
    n: -2_147_483_648,
    at: '2025-01-06T02:22:55Z',
  },
  {
    seq: -5,
    id: null,
    label: 'ünïcødé ✓ tab\there nl\nx \\N',
    n: 2_147_483_647,
    at: '1999-12-31T23:59:59.999999Z',
  },
  { seq: 4, id: '00000000-0000-0000-0000-000000000000', label: null, n: null, at: '1970-01-01T00:00:00.1Z' },
  {
    seq: 5,
    id: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
    label: 'x',
    n: 0,
    at: '2025-06-30T12:00:00.0000005Z',
  },
  {
    seq: 6,
    id: '0194f0c2-7a1b-7c3d-8e4f-5a6b7c8d9e0f',
    label: 'y',
    n: 7,
    at: '2025-06-30T12:00:00.0000015Z',
  },
  {
    seq: 7,
    id: '0194f0c2-7a1b-7c3d-8e4f-5a6b7c8d9e0f',
    label: 'z',
    n: 8,
    at: '0050-03-01T00:00:00.123456789Z',
  },
  {
    seq: 8,
    id: '0194f0c2-7a1b-7c3d-8e4f-5a6b7c8d9e0f',
    label: 'w',
    n: 9,
    at: '9999-12-31T23:59:59.9999994Z',
  },
  { seq: 9, id: '0194f0c2-7a1b-7c3d-8e4f-5a6b7c8d9e0f', label: 'v', n: 10, at: null },
];

/** Timestamps across the calendar, leap days and fraction lengths (a fixed pseudo-random walk). */
const GENERATED = Array.from({ length: 400 }, (_, i) => {
  const r = (k: number) => Math.floor(Math.abs(Math.sin(i * 12.9898 + k * 78.233)) * 43_758.5453) % 10_000;
  const year = i % 4 === 0 ? 2000 + (r(1) % 400) : 1 + (r(1) % 9_999);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const [month, day] = i % 10 === 0 && leap ? [2, 29] : [1 + (r(2) % 12), 1 + (r(3) % 28)];
  const two = (v: number) => String(v).padStart(2, '0');
  const fraction = String(r(4))
    .padStart(4, '0')
    .repeat(3)
    .slice(0, i % 10);
  return {
    seq: 100 + i,
    id: null,
    label: null,
    n: null,
    at: `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(r(5) % 24)}:${two(r(6) % 60)}:${two(r(7) % 60)}${fraction ? `.${fraction}` : ''}Z`,
  };
});

const encoded = (rows: readonly Record<string, unknown>[]) => {
  const encoder = new BinaryCopyEncoder(COLUMNS);
  for (const row of rows) encoder.add(row);
  return encoder;
};

describe('binary COPY', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase('binary_copy');
    pool = new pg.Pool({ connectionString: db.url, max: 1 });
    for (const table of ['copied', 'parsed'])
      await pool.query(`CREATE TABLE ${table} (seq bigint, id uuid, label text, n int, at timestamptz)`);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('stores every value as PostgreSQL stores its text', async () => {
    // The same values as text, read by the types' input functions.
    await pool.query(
      'INSERT INTO parsed SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::timestamptz[])',
      COLUMNS.map(([name]) => [...ROWS, ...GENERATED].map((r) => (r as Record<string, unknown>)[name])),
    );
    await runBatchedTransaction(pool, [
      {
        copy: 'COPY copied (seq, id, label, n, at) FROM STDIN (FORMAT binary)',
        data: encoded([...ROWS, ...GENERATED]).data(),
        instead: () => [],
      },
    ]);
    const count = await pool.query('SELECT count(*)::int AS n FROM copied');
    expect(count.rows).toEqual([{ n: ROWS.length + GENERATED.length }]);
    const differing = await pool.query(
      '(SELECT * FROM copied EXCEPT SELECT * FROM parsed) UNION ALL (SELECT * FROM parsed EXCEPT SELECT * FROM copied)',
    );
    expect(differing.rows).toEqual([]);
  });

  it('decodes what it encoded, the same values in canonical text', async () => {
    const rows = decodeBinaryCopy(encoded(ROWS).data(), COLUMNS);
    expect(rows).toHaveLength(ROWS.length);
    expect(rows[0]).toEqual({ ...ROWS[0], at: '2025-01-06T02:22:55.334000Z' });
    expect(rows[1]).toMatchObject({
      seq: 2 ** 53 - 1,
      id: 'abcdef01-2345-4789-8abc-def012345678',
      label: '',
    });
    expect(rows[2]).toMatchObject({
      seq: -5,
      id: null,
      label: ROWS[2]!.label,
      at: '1999-12-31T23:59:59.999999Z',
    });
    expect(rows[7]!.at).toBe('9999-12-31T23:59:59.999999Z');
    expect(rows[8]!.at).toBeNull();
    // The decoded rows store the same as the originals.
    const back = await pool.query(
      `SELECT bool_and(a::timestamptz IS NOT DISTINCT FROM b::timestamptz) AS same
       FROM unnest($1::text[], $2::text[]) AS t(a, b)`,
      [ROWS.map((r) => r.at), rows.map((r) => r.at)],
    );
    expect(back.rows).toEqual([{ same: true }]);
  });

  it('stores floats, JSON and booleans as PostgreSQL stores their text, and decodes them', async () => {
    const columns = [
      ['x', 'float8'],
      ['doc', 'jsonb'],
      ['flag', 'bool'],
    ] as const satisfies readonly (readonly [string, BinaryType])[];
    const rows = [
      { x: 0.1 + 0.2, doc: { a: 'ünï ✓', b: [1, null, 'tab\t"q"'] }, flag: true },
      { x: -1e-300, doc: 'a string', flag: false },
      { x: 1.7976931348623157e308, doc: null, flag: null },
      { x: -0, doc: [], flag: true },
    ];
    const encoder = new BinaryCopyEncoder(columns);
    for (const row of rows) encoder.add(row);
    await pool.query('CREATE TABLE typed_copied (x float8, doc jsonb, flag bool)');
    await pool.query('CREATE TABLE typed_parsed (x float8, doc jsonb, flag bool)');
    await runBatchedTransaction(pool, [
      {
        copy: 'COPY typed_copied (x, doc, flag) FROM STDIN (FORMAT binary)',
        data: encoder.data(),
        instead: () => [],
      },
    ]);
    await pool.query('INSERT INTO typed_parsed SELECT * FROM unnest($1::float8[], $2::jsonb[], $3::bool[])', [
      rows.map((r) => r.x),
      rows.map((r) => (r.doc === null ? null : JSON.stringify(r.doc))),
      rows.map((r) => r.flag),
    ]);
    const differing = await pool.query(
      '(SELECT * FROM typed_copied EXCEPT SELECT * FROM typed_parsed) UNION ALL (SELECT * FROM typed_parsed EXCEPT SELECT * FROM typed_copied)',
    );
    expect(differing.rows).toEqual([]);
    expect((await pool.query('SELECT count(*)::int AS n FROM typed_copied')).rows).toEqual([{ n: 4 }]);
    expect(decodeBinaryCopy(encoder.data(), columns)).toEqual(rows);
  });

  it('refuses a value its type cannot take, naming it, and keeps the rows before it', () => {
    const encoder = encoded(ROWS.slice(0, 2));
    const bad = [
      [{ ...ROWS[0], id: 'not-a-uuid' }, /id 'not-a-uuid' is not a UUID/],
      [{ ...ROWS[0], at: '2025-01-06T02:22:55+01:00' }, /not an ISO-8601 UTC timestamp/],
      [{ ...ROWS[0], at: '2025-13-06T02:22:55Z' }, /not an ISO-8601 UTC timestamp/],
      [{ ...ROWS[0], at: '2025-01-06T24:22:55Z' }, /not an ISO-8601 UTC timestamp/],
      [{ ...ROWS[0], at: '2025-01-06T02:22:55.Z' }, /not an ISO-8601 UTC timestamp/],
      [{ ...ROWS[0], at: '2025-01-06T02:22:55.1x3Z' }, /not an ISO-8601 UTC timestamp/],
      [{ ...ROWS[0], at: '2025-01-06 02:22:55Z' }, /not an ISO-8601 UTC timestamp/],
      [{ ...ROWS[0], n: 1.5 }, /n 1.5 is not an int/],
      [{ ...ROWS[0], n: 2 ** 31 }, /is not an int/],
      [{ ...ROWS[0], seq: '12' }, /seq 12 is not a bigint/],
    ] as const;
    for (const [row, message] of bad) expect(() => encoder.add(row)).toThrow(message);
    expect(encoder.rows).toBe(2);
    expect(decodeBinaryCopy(encoder.data(), COLUMNS).map((r) => r.seq)).toEqual([1, 2 ** 53 - 1]);
  });
});
