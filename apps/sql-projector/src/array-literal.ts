import type { SqlType } from './table-columns.js';

/** Characters that never need quoting in an array literal (uuids, numbers, timestamps, addresses). */
const BARE = /^[0-9A-Za-z.:+-]+$/;
const NULL_WORD = /^null$/i;

const quote = (text: string) => `"${text.replace(/[\\"]/g, '\\$&')}"`;

const element = (value: unknown, type: SqlType): string => {
  if (value === null || value === undefined) return 'NULL';
  if (type === 'jsonb') return quote(JSON.stringify(value));
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  // Quoted unless plainly safe; the word NULL unquoted would mean SQL NULL.
  return BARE.test(text) && (text.length !== 4 || !NULL_WORD.test(text)) ? text : quote(text);
};

/**
 * A PostgreSQL array literal (`{a,"b c",NULL}`) of `values` as elements of `type`, sent as one text
 * parameter. Built here rather than by the driver because most elements (ids, numbers, timestamps)
 * go out bare, about twice as fast as pg's generic per-element escaping, which a million-event
 * rebuild pays for every column of every row.
 */
export const arrayLiteral = (values: readonly unknown[], type: SqlType): string => {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = element(values[i], type);
  return `{${parts.join(',')}}`;
};
