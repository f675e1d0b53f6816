import { type RawBuilder, sql } from 'kysely';
import { arrayLiteral } from './array-literal.js';
import { COLUMNS, type SqlType, type WrittenTable } from './table-columns.js';

/**
 * Set-based statements: one typed array per column, expanded server-side with `unnest`. A statement
 * has a handful of parameters however many rows it carries, so parsing and planning stay cheap and
 * a multi-thousand-row write is one round trip (about ten times the rows per second of one
 * statement per row).
 */

/** Rows per statement; bounds the size of one protocol message. */
export const BULK_CHUNK_ROWS = 5_000;

/** A write of a unit of work; none returns anything the next one needs. */
export type Statement = RawBuilder<unknown>;

type Row = object;

const field = (row: Row, name: string): unknown => (row as Record<string, unknown>)[name];

/**
 * An array parameter: an array literal sent as text and typed by the cast (`$1::uuid[]`), so the
 * server parses it once, at bind, on pg and PGlite alike. (`$1::text::uuid[]` would be slower: the
 * array cast is only STABLE, so it is parsed again wherever it is evaluated.)
 */
export const typedArray = (values: readonly unknown[], type: SqlType): RawBuilder<unknown> =>
  sql`${arrayLiteral(values, type)}::${sql.raw(type)}[]`;

const chunks = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BULK_CHUNK_ROWS) out.push(items.slice(i, i + BULK_CHUNK_ROWS));
  return out;
};

const columnsOf = (table: WrittenTable) => Object.entries(COLUMNS[table]) as [string, SqlType][];

/** What an insert does with a row whose key exists: replace every other column, or keep the old row. */
export type OnConflict = { key: readonly string[]; action: 'update' | 'ignore' };

/**
 * Inserts rows. With `update`, a row whose key exists gets every other column replaced (the rows
 * must have distinct keys: PostgreSQL refuses to update one row twice in a statement).
 */
export const insertRows = (
  schema: string,
  table: WrittenTable,
  rows: readonly Row[],
  onConflict?: OnConflict,
): Statement[] => {
  const columns = columnsOf(table);
  const names = sql.join(columns.map(([name]) => sql.id(name)));
  const key = onConflict && sql.join(onConflict.key.map((k) => sql.id(k)));
  const conflict = !onConflict
    ? sql``
    : onConflict.action === 'ignore'
      ? sql` ON CONFLICT (${key}) DO NOTHING`
      : sql` ON CONFLICT (${key}) DO UPDATE SET ${sql.join(
          columns
            .filter(([name]) => !onConflict.key.includes(name))
            .map(([name]) => sql`${sql.id(name)} = EXCLUDED.${sql.id(name)}`),
        )}`;
  return chunks(rows).map((chunk) => {
    const arrays = columns.map(([name, type]) =>
      typedArray(
        chunk.map((row) => field(row, name)),
        type,
      ),
    );
    return sql`INSERT INTO ${sql.id(schema, table)} (${names}) SELECT * FROM unnest(${sql.join(arrays)})${conflict}`;
  });
};

/**
 * Applies column patches keyed by `id`: a column a patch does not mention keeps its value (a flag
 * array says which rows set it), `null` sets NULL. Ids without a row are ignored.
 */
export const patchRows = (
  schema: string,
  table: WrittenTable,
  patches: ReadonlyMap<string, Row>,
): Statement[] => {
  const statements: Statement[] = [];
  const entries = [...patches];
  for (const chunk of chunks(entries)) {
    const used = columnsOf(table).filter(
      ([name]) => name !== 'id' && chunk.some(([, set]) => Object.hasOwn(set, name)),
    );
    const arrays: RawBuilder<unknown>[] = [
      typedArray(
        chunk.map(([id]) => id),
        'uuid',
      ),
    ];
    const aliases = [sql.id('id')];
    const assignments: RawBuilder<unknown>[] = [];
    for (const [name, type] of used) {
      const col = sql.id(name);
      arrays.push(
        typedArray(
          chunk.map(([, set]) => field(set, name)),
          type,
        ),
      );
      aliases.push(col);
      if (chunk.every(([, set]) => Object.hasOwn(set, name))) {
        assignments.push(sql`${col} = u.${col}`);
      } else {
        const flag = sql.id(`${name}__set`);
        arrays.push(
          typedArray(
            chunk.map(([, set]) => Object.hasOwn(set, name)),
            'bool',
          ),
        );
        aliases.push(flag);
        assignments.push(sql`${col} = CASE WHEN u.${flag} THEN u.${col} ELSE t.${col} END`);
      }
    }
    if (assignments.length === 0) continue;
    statements.push(sql`UPDATE ${sql.id(schema, table)} AS t SET ${sql.join(assignments)}
      FROM unnest(${sql.join(arrays)}) AS u(${sql.join(aliases)}) WHERE t.id = u.id`);
  }
  return statements;
};

/** Deletes the rows whose `column` is one of `ids`. */
export const deleteWhereIn = (
  schema: string,
  table: WrittenTable,
  column: string,
  ids: readonly string[],
): Statement[] =>
  chunks(ids).map(
    (chunk) =>
      sql`DELETE FROM ${sql.id(schema, table)} WHERE ${sql.id(column)} IN (SELECT unnest(${typedArray(chunk, 'uuid')}))`,
  );
