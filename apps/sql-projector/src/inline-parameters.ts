import { SqlProjectorError } from './errors.js';

/** A statement with `$1`… placeholders and their values (a kysely CompiledQuery, the kit's SqlStatement). */
export interface ParameterisedStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/**
 * A value as an SQL literal. Strings become quoted literals, which PostgreSQL types from their
 * context as it would a parameter (our statements cast what they send: `'{…}'::uuid[]`); an `E''`
 * literal only when there is a backslash, so the text means the same whatever
 * standard_conforming_strings says. Numbers are numeric literals (an untyped parameter in
 * `SELECT $1` would be text where `INSERT … SELECT` needs a number).
 */
export const sqlLiteral = (value: unknown): string => {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') {
    const quoted = value.replaceAll("'", "''");
    return value.includes('\\') ? `E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return value < 0 ? `(${value})` : String(value);
  if (typeof value === 'bigint') return value < 0n ? `(${value})` : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  throw new SqlProjectorError(
    'UNSUPPORTED_PARAMETER',
    `cannot send ${typeof value === 'number' ? value : typeof value} as an SQL literal`,
  );
};

/**
 * The statement's text with every placeholder replaced by its value as a literal, for PostgreSQL's
 * simple query protocol, which runs several statements in one message but takes no parameters.
 * Placeholders inside quoted literals and identifiers are left alone.
 */
export const inlineParameters = ({ sql, parameters }: ParameterisedStatement): string => {
  let out = '';
  let from = 0;
  let quote = '';
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote) {
      if (c === quote) quote = ''; // a doubled quote closes and reopens: same outcome
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      continue;
    }
    if (c !== '$') continue;
    let end = i + 1;
    while (end < sql.length && sql.charCodeAt(end) >= 48 && sql.charCodeAt(end) <= 57) end++;
    if (end === i + 1) continue;
    const index = Number(sql.slice(i + 1, end)) - 1;
    if (index < 0 || index >= parameters.length)
      throw new SqlProjectorError('UNSUPPORTED_PARAMETER', `placeholder $${index + 1} has no value`);
    out += sql.slice(from, i) + sqlLiteral(parameters[index]);
    from = end;
    i = end - 1;
  }
  return out + sql.slice(from);
};
