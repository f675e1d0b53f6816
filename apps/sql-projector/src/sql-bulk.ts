import { escapeIdentifier } from 'pg';
import { arrayLiteral } from './array-literal.js';
import type { ParameterisedStatement } from './inline-parameters.js';
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
export type Statement = ParameterisedStatement;

type Row = object;

const field = (row: Row, name: string): unknown => (row as Record<string, unknown>)[name];

/** `"schema"."table"`. */
export const tableId = (schema: string, table: string): string =>
  `${escapeIdentifier(schema)}.${escapeIdentifier(table)}`;

/**
 * Statement texts by shape (table, columns, conflict rule). A batch's statements differ in their
 * values, rarely in their text: building it with kysely's template tags at every commit (frozen
 * nodes, then a compile pass) was a fifth of the SQL projector's CPU in a live run.
 */
const texts = new Map<string, string>();
const MAX_TEXTS = 1_024;
export const textOf = (shape: string, make: () => string): string => {
  let text = texts.get(shape);
  if (text === undefined) {
    if (texts.size >= MAX_TEXTS) texts.clear();
    text = make();
    texts.set(shape, text);
  }
  return text;
};

/**
 * An array parameter's placeholder: its value is an array literal sent as text and typed by the
 * cast (`$1::uuid[]`), so the server parses it once, at bind, on pg and PGlite alike.
 * (`$1::text::uuid[]` would be slower: the array cast is only STABLE, so it is parsed again
 * wherever it is evaluated.)
 */
export const arrayParameter = (position: number, type: SqlType): string => `$${position}::${type}[]`;

const chunks = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BULK_CHUNK_ROWS) out.push(items.slice(i, i + BULK_CHUNK_ROWS));
  return out;
};

/** A table's written columns and their types, in insert order. */
export const columnsOf = (table: WrittenTable) => Object.entries(COLUMNS[table]) as [string, SqlType][];

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
  const text = textOf(`insert|${schema}|${table}|${onConflict?.action}|${onConflict?.key}`, () => {
    const names = columns.map(([name]) => escapeIdentifier(name)).join(', ');
    const arrays = columns.map(([, type], i) => arrayParameter(i + 1, type)).join(', ');
    const key = onConflict?.key.map(escapeIdentifier).join(', ');
    const conflict = !onConflict
      ? ''
      : onConflict.action === 'ignore'
        ? ` ON CONFLICT (${key}) DO NOTHING`
        : ` ON CONFLICT (${key}) DO UPDATE SET ${columns
            .filter(([name]) => !onConflict.key.includes(name))
            .map(([name]) => `${escapeIdentifier(name)} = EXCLUDED.${escapeIdentifier(name)}`)
            .join(', ')}`;
    return `INSERT INTO ${tableId(schema, table)} (${names}) SELECT * FROM unnest(${arrays})${conflict}`;
  });
  return chunks(rows).map((chunk) => ({
    sql: text,
    parameters: columns.map(([name, type]) =>
      arrayLiteral(
        chunk.map((row) => field(row, name)),
        type,
      ),
    ),
  }));
};

/** How a patch statement writes a column, and how rows that do not set it keep their value. */
export interface PatchColumn {
  name: string;
  type: SqlType;
  /**
   * Every row sets it (`all`); NULL keeps the old value, none of the patches sets NULL (`coalesce`,
   * 10-17% cheaper a row than a flag); or a flag column says which rows set it (`flag`).
   */
  keep: 'all' | 'coalesce' | 'flag';
}

/** Patches, a chunk or a whole batch of them: ids and their column changes. */
export type PatchChunk = readonly (readonly [string, Row])[];

/** The columns a chunk of patches writes, in table order (one pass: a patch names a few of many). */
export const patchColumns = (table: WrittenTable, chunk: PatchChunk): PatchColumn[] => {
  const setBy = new Map<string, { rows: number; nulls: boolean }>();
  for (const [, set] of chunk)
    for (const name in set) {
      if (!Object.hasOwn(set, name)) continue;
      const seen = setBy.get(name);
      const isNull = field(set, name) === null;
      if (seen) {
        seen.rows++;
        seen.nulls ||= isNull;
      } else setBy.set(name, { rows: 1, nulls: isNull });
    }
  const written: PatchColumn[] = [];
  for (const [name, type] of columnsOf(table)) {
    const seen = setBy.get(name);
    if (name === 'id' || !seen) continue;
    written.push({ name, type, keep: seen.rows === chunk.length ? 'all' : seen.nulls ? 'flag' : 'coalesce' });
  }
  return written;
};

/** The flag column of a `flag` column: whether the row sets it. */
export const flagOf = (name: string): string => `${name}__set`;

/** `UPDATE … AS t SET …` of patch columns from `source` aliased `u`, joined on id. */
export const patchUpdate = (
  schema: string,
  table: WrittenTable,
  written: readonly PatchColumn[],
  source: string,
) => {
  const assignments = written.map(({ name, keep }) => {
    const col = escapeIdentifier(name);
    if (keep === 'all') return `${col} = u.${col}`;
    if (keep === 'coalesce') return `${col} = coalesce(u.${col}, t.${col})`;
    return `${col} = CASE WHEN u.${escapeIdentifier(flagOf(name))} THEN u.${col} ELSE t.${col} END`;
  });
  return `UPDATE ${tableId(schema, table)} AS t SET ${assignments.join(', ')}
      FROM ${source} WHERE t.id = u.id`;
};

/** The statement of a chunk of patches, its columns as arrays expanded by `unnest`. */
export const patchStatement = (
  schema: string,
  table: WrittenTable,
  chunk: PatchChunk,
  written: readonly PatchColumn[],
): Statement => {
  const parameters: string[] = [
    arrayLiteral(
      chunk.map(([id]) => id),
      'uuid',
    ),
  ];
  for (const { name, type, keep } of written) {
    parameters.push(
      arrayLiteral(
        chunk.map(([, set]) => field(set, name)),
        type,
      ),
    );
    if (keep === 'flag')
      parameters.push(
        arrayLiteral(
          chunk.map(([, set]) => Object.hasOwn(set, name)),
          'bool',
        ),
      );
  }
  const shape = written.map((c) => `${c.name}:${c.keep}`).join(',');
  const sql = textOf(`patch|${schema}|${table}|${shape}`, () => {
    const arrays = [arrayParameter(1, 'uuid')];
    const aliases = [escapeIdentifier('id')];
    for (const { name, type, keep } of written) {
      arrays.push(arrayParameter(arrays.length + 1, type));
      aliases.push(escapeIdentifier(name));
      if (keep !== 'flag') continue;
      arrays.push(arrayParameter(arrays.length + 1, 'bool'));
      aliases.push(escapeIdentifier(flagOf(name)));
    }
    return patchUpdate(schema, table, written, `unnest(${arrays.join(', ')}) AS u(${aliases.join(', ')})`);
  });
  return { sql, parameters };
};

/**
 * Applies column patches keyed by `id`: a column a patch does not mention keeps its value, `null`
 * sets NULL. Ids without a row are ignored.
 */
export const patchRows = (
  schema: string,
  table: WrittenTable,
  patches: ReadonlyMap<string, Row>,
): Statement[] =>
  chunks([...patches]).flatMap((chunk) => {
    const written = patchColumns(table, chunk);
    return written.length === 0 ? [] : [patchStatement(schema, table, chunk, written)];
  });

/** Deletes the rows whose `column` is one of `ids`. */
export const deleteWhereIn = (
  schema: string,
  table: WrittenTable,
  column: string,
  ids: readonly string[],
): Statement[] => {
  const sql = textOf(
    `delete|${schema}|${table}|${column}`,
    () =>
      `DELETE FROM ${tableId(schema, table)} WHERE ${escapeIdentifier(column)} IN (SELECT unnest(${arrayParameter(1, 'uuid')}))`,
  );
  return chunks(ids).map((chunk) => ({ sql, parameters: [arrayLiteral(chunk, 'uuid')] }));
};
