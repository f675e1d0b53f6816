import { escapeIdentifier } from 'pg';
import type { ParameterisedStatement } from './inline-parameters.js';
import { columnsOf, tableId, textOf } from './sql-bulk.js';
import type { SqlType, WrittenTable } from './table-columns.js';

/**
 * Rows from which an insert goes to a PostgreSQL server as `COPY … FROM STDIN`. COPY costs the
 * server about half the CPU of an `INSERT … SELECT * FROM unnest(…)` a row (the audit's 10 columns,
 * 2,000-row batches: 6.6–7.6 vs 13.8–14.7 µs of backend CPU a row with `ON CONFLICT`). Below it the
 * insert stays: a live batch's runs prepared, and COPY was measured on replay batches only.
 */
export const COPY_MIN_ROWS = 500;

/** Rows for `COPY … FROM STDIN` (text or binary format), with what to run where COPY cannot be used. */
export interface CopyStatement {
  /** Runs before the COPY, in the same message (creates the temporary table it copies into). */
  readonly before?: string;
  /** `COPY "schema"."table" ("column", …) FROM STDIN`, with `(FORMAT binary)` for binary data. */
  readonly copy: string;
  /** Runs right after the COPY, in the same message (the update from the table copied into). */
  readonly after?: string;
  /** The rows: in the text format one line each, columns separated by tabs; or binary COPY data. */
  readonly data: string | Buffer;
  /**
   * The same writes as statements (for the rows, ones that skip rows the table holds already),
   * where a COPY would fail on their keys, and for stores that run statements only (PGlite).
   */
  readonly instead: () => ParameterisedStatement[];
}

/** A write of a unit of work: a statement, or rows to copy in. */
export type Write = ParameterisedStatement | CopyStatement;

export const isCopy = (write: Write): write is CopyStatement => 'copy' in write;

/** Characters COPY's text format escapes with a backslash: the escape itself, and the separators. */
const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Whether `text` holds one of {@link SPECIAL}'s characters. Nearly no field does (ids, numbers,
 * timestamps); a scan of its character codes costs a fraction of running the replace on each.
 */
const hasSpecial = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 || c === 9 || c === 10 || c === 13) return true;
  }
  return false;
};

/** A value as a field of COPY's text format (`\N` is NULL), read by the column type's input function. */
export const copyField = (value: unknown, type: SqlType): string => {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  const text = type === 'jsonb' ? JSON.stringify(value) : String(value);
  return hasSpecial(text) ? text.replace(SPECIAL, (c) => ESCAPES[c]!) : text;
};

const copyText = (schema: string, table: WrittenTable, format: 'text' | 'binary') =>
  textOf(`copy|${schema}|${table}|${format}`, () => {
    const names = columnsOf(table).map(([name]) => escapeIdentifier(name));
    return `COPY ${tableId(schema, table)} (${names.join(', ')}) FROM STDIN${format === 'binary' ? ' (FORMAT binary)' : ''}`;
  });

/** Binary COPY data of `table`'s rows (every column, in `columnsOf` order) to copy in. */
export const copyBinary = (
  schema: string,
  table: WrittenTable,
  data: Buffer,
  instead: () => ParameterisedStatement[],
): CopyStatement => ({ copy: copyText(schema, table, 'binary'), data, instead });

/** Rows of `table` (every column of the table, as `insertRows` writes them) to copy in. */
export const copyRows = (
  schema: string,
  table: WrittenTable,
  rows: readonly object[],
  instead: () => ParameterisedStatement[],
): CopyStatement => {
  const columns = columnsOf(table);
  const copy = copyText(schema, table, 'text');
  const lines = new Array<string>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Record<string, unknown>;
    let line = '';
    for (let c = 0; c < columns.length; c++) {
      const [name, type] = columns[c]!;
      line += (c === 0 ? '' : '\t') + copyField(row[name], type);
    }
    lines[r] = line;
  }
  return { copy, data: lines.length === 0 ? '' : `${lines.join('\n')}\n`, instead };
};
