import type { SqlType } from './table-columns.js';

/**
 * PostgreSQL's binary COPY format for the column types the audit writes. The server reads a binary
 * uuid or timestamptz without parsing text: COPY of 300,000 audit rows (10 columns, primary key)
 * took the backend 342–358 ms binary against 823 ms as text, most of the difference the uuid and
 * timestamptz input functions. (pg-copy-streams-binary encodes a row per stream chunk, through
 * Dates that drop microseconds; a replay writes a million rows.)
 *
 * Layout: a signature and two int32 (flags, extension length), then per row an int16 field count
 * and per field an int32 length (-1 for NULL) and the value's bytes, then an int16 -1.
 */

export type BinaryType = Extract<SqlType, 'uuid' | 'text' | 'int' | 'bigint' | 'timestamptz'>;

const BINARY_TYPES: ReadonlySet<SqlType> = new Set<BinaryType>([
  'uuid',
  'text',
  'int',
  'bigint',
  'timestamptz',
]);

export const isBinaryType = (type: SqlType): type is BinaryType => BINARY_TYPES.has(type);

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Milliseconds from the Unix epoch to PostgreSQL's (2000-01-01 UTC). */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_32 = 4_294_967_296;

/** Hex digit values by character code; -1 for anything else. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** `YYYY-MM-DDTHH:MM:SS[.fraction]Z`: the form the contract admits (zod's `iso.datetime()`). */
const ISO_UTC = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z$/;

/**
 * Microseconds since PostgreSQL's epoch of an ISO-8601 UTC timestamp, rounded as its input rounds; a
 * bigint beyond 2^53 (before 1715, after 2285), where a number would lose microseconds.
 */
export const pgMicroseconds = (text: string): number | bigint => {
  const m = ISO_UTC.exec(text);
  if (!m) throw new TypeError(`binary COPY: '${text}' is not an ISO-8601 UTC timestamp`);
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  if (+m[1]! < 100) date.setUTCFullYear(+m[1]!); // Date.UTC maps years 0–99 to 1900–1999
  // As PostgreSQL reads a fraction: strtod of its digits, times 10^6, rounded half to even (rint).
  const scaled = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1e6;
  let micros = Math.round(scaled);
  if (micros - scaled === 0.5 && micros % 2 !== 0) micros--;
  const seconds = (date.getTime() - PG_EPOCH_MS) / 1000;
  const total = seconds * 1e6 + micros;
  return Number.isSafeInteger(total) ? total : BigInt(seconds) * 1_000_000n + BigInt(micros);
};

/** The ISO-8601 text of microseconds since PostgreSQL's epoch (`…:SS.ffffffZ`). */
export const isoOfMicroseconds = (micros: number | bigint): string => {
  const big = BigInt(micros);
  let ms = big / 1000n;
  if (big < ms * 1000n) ms -= 1n; // floor, also before the epoch
  const rest = Number(big - ms * 1000n);
  return `${new Date(Number(ms) + PG_EPOCH_MS).toISOString().slice(0, 23)}${String(rest).padStart(3, '0')}Z`;
};

/**
 * Rows of one table's columns in binary COPY format, encoded as they are added: a million-row
 * replay's rows become bytes off V8's heap instead of objects that outlive its young generation.
 */
export class BinaryCopyEncoder {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  private offset = 0;
  /** Rows encoded so far. */
  rows = 0;

  constructor(private readonly columns: readonly (readonly [string, BinaryType])[]) {
    this.buffer.set(SIGNATURE, 0);
    this.buffer.writeInt32BE(0, SIGNATURE.length);
    this.buffer.writeInt32BE(0, SIGNATURE.length + 4);
    this.offset = SIGNATURE.length + 8;
  }

  /** Encodes a row; throws, encoding nothing, on a value its column's type cannot take. */
  add(row: Readonly<Record<string, unknown>>): void {
    const start = this.offset;
    try {
      this.reserve(2);
      this.buffer.writeInt16BE(this.columns.length, this.offset);
      this.offset += 2;
      for (const [name, type] of this.columns) this.field(row[name], type, name);
    } catch (error) {
      this.offset = start;
      throw error;
    }
    this.rows++;
  }

  /** The COPY data: every row added so far and the trailer. */
  data(): Buffer {
    const out = Buffer.allocUnsafe(this.offset + 2);
    this.buffer.copy(out, 0, 0, this.offset);
    out.writeInt16BE(-1, this.offset);
    return out;
  }

  private reserve(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + bytes));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }

  private field(value: unknown, type: BinaryType, name: string): void {
    if (value === null || value === undefined) {
      this.reserve(4);
      this.buffer.writeInt32BE(-1, this.offset);
      this.offset += 4;
      return;
    }
    switch (type) {
      case 'uuid':
        this.uuid(value, name);
        break;
      case 'text':
        this.text(String(value));
        break;
      case 'int':
        if (!Number.isInteger(value) || (value as number) < -TWO_32 / 2 || (value as number) >= TWO_32 / 2)
          throw new TypeError(`binary COPY: ${name} ${String(value)} is not an int`);
        this.reserve(8);
        this.buffer.writeInt32BE(4, this.offset);
        this.buffer.writeInt32BE(value as number, this.offset + 4);
        this.offset += 8;
        break;
      case 'bigint':
        if (!Number.isSafeInteger(value))
          throw new TypeError(`binary COPY: ${name} ${String(value)} is not a bigint`);
        this.int64(value as number);
        break;
      case 'timestamptz':
        if (typeof value !== 'string') throw new TypeError(`binary COPY: ${name} must be an ISO-8601 string`);
        this.int64(pgMicroseconds(value));
        break;
    }
  }

  private int64(value: number | bigint): void {
    this.reserve(12);
    this.buffer.writeInt32BE(8, this.offset);
    if (typeof value === 'bigint') this.buffer.writeBigInt64BE(value, this.offset + 4);
    else {
      const high = Math.floor(value / TWO_32);
      this.buffer.writeInt32BE(high, this.offset + 4);
      this.buffer.writeUInt32BE(value - high * TWO_32, this.offset + 8);
    }
    this.offset += 12;
  }

  private uuid(value: unknown, name: string): void {
    const text = String(value);
    this.reserve(20);
    const b = this.buffer;
    let o = this.offset + 4;
    let valid = text.length === 36;
    for (let i = 0; valid && i < 36; i++) {
      if (i === 8 || i === 13 || i === 18 || i === 23) {
        valid = text.charCodeAt(i) === 45; // '-'
        continue;
      }
      const high = HEX[text.charCodeAt(i)] ?? -1;
      const low = HEX[text.charCodeAt(++i)] ?? -1;
      valid = high >= 0 && low >= 0;
      b[o++] = (high << 4) | low;
    }
    if (!valid) throw new TypeError(`binary COPY: ${name} '${text}' is not a UUID`);
    b.writeInt32BE(16, this.offset);
    this.offset += 20;
  }

  private text(text: string): void {
    this.reserve(4 + text.length * 3);
    const b = this.buffer;
    const start = this.offset + 4;
    // Ids, names and types are ASCII: copied a character at a time, without the call into C++.
    let ascii = true;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 127) {
        ascii = false;
        break;
      }
      b[start + i] = c;
    }
    const length = ascii ? text.length : b.write(text, start, 'utf8');
    b.writeInt32BE(length, this.offset);
    this.offset = start + length;
  }
}

/** The rows of binary COPY data, as `add` was given them (uuids lower-case, timestamps to µs). */
export const decodeBinaryCopy = (
  data: Uint8Array,
  columns: readonly (readonly [string, BinaryType])[],
): Record<string, unknown>[] => {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (!b.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new TypeError('not binary COPY data');
  let o = SIGNATURE.length + 8 + b.readInt32BE(SIGNATURE.length + 4);
  const rows: Record<string, unknown>[] = [];
  for (;;) {
    const count = b.readInt16BE(o);
    o += 2;
    if (count === -1) return rows;
    if (count !== columns.length)
      throw new TypeError(`binary COPY row of ${count} fields, expected ${columns.length}`);
    const row: Record<string, unknown> = {};
    for (const [name, type] of columns) {
      const length = b.readInt32BE(o);
      o += 4;
      if (length === -1) {
        row[name] = null;
        continue;
      }
      const at = o;
      o += length;
      switch (type) {
        case 'uuid': {
          const hex = b.toString('hex', at, at + 16);
          row[name] =
            `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
          break;
        }
        case 'text':
          row[name] = b.toString('utf8', at, o);
          break;
        case 'int':
          row[name] = b.readInt32BE(at);
          break;
        case 'bigint':
          row[name] = b.readInt32BE(at) * TWO_32 + b.readUInt32BE(at + 4);
          break;
        case 'timestamptz':
          row[name] = isoOfMicroseconds(b.readBigInt64BE(at));
          break;
      }
    }
    rows.push(row);
  }
};
