import type { SqlType } from './table-columns.js';

/**
 * PostgreSQL's binary COPY format for the column types of the audit and of measurement patches.
 * The server reads a binary uuid or timestamptz without parsing text: COPY of 300,000 audit rows (10 columns, primary key)
 * took the backend 342–358 ms binary against 823 ms as text, most of the difference the uuid and
 * timestamptz input functions. (pg-copy-streams-binary encodes a row per stream chunk, through
 * Dates that drop microseconds; a replay writes a million rows.)
 *
 * Layout: a signature and two int32 (flags, extension length), then per row an int16 field count
 * and per field an int32 length (-1 for NULL) and the value's bytes, then an int16 -1.
 */

/** The column types binary COPY encodes here. */
const BINARY_TYPES = [
  'uuid',
  'text',
  'int',
  'bigint',
  'float8',
  'timestamptz',
  'jsonb',
  'bool',
] as const satisfies readonly SqlType[];

export type BinaryType = (typeof BINARY_TYPES)[number];

export const isBinaryType = (type: SqlType): type is BinaryType =>
  (BINARY_TYPES as readonly SqlType[]).includes(type);

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Milliseconds from the Unix epoch to PostgreSQL's (2000-01-01 UTC). */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_32 = 4_294_967_296;

/** Hex digit values by UTF-16 code unit (all of charCodeAt's range); -1 for the rest. */
const HEX = new Int8Array(65_536).fill(-1);
/** Where each of a uuid's 16 bytes starts in its text form (`8-4-4-4-12` hex digits). */
const UUID_BYTE_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Hinnant's days_from_civil). */
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
};
const PG_EPOCH_DAYS = daysFromCivil(2000, 1, 1);

/** The number of the digits `text[from, to)`; -1 if one is not a digit. */
const digitsAt = (text: string, from: number, to: number): number => {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
};

const SEPARATORS: readonly [number, number][] = [
  [4, 45], // -
  [7, 45],
  [10, 84], // T
  [13, 58], // :
  [16, 58],
];

/**
 * Microseconds since PostgreSQL's epoch of an ISO-8601 UTC timestamp, `YYYY-MM-DDTHH:MM:SS[.f]Z`
 * (the form the contract admits: zod's `iso.datetime()`), rounded as PostgreSQL rounds; a bigint
 * beyond 2^53 (before 1715, after 2285), where a number would lose microseconds. Read by hand: a
 * regular expression and a Date cost more than the rest of an audit row's encoding.
 */
const pgMicroseconds = (text: string): number | bigint => {
  const n = text.length;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  let valid =
    n >= 20 &&
    text.charCodeAt(n - 1) === 90 && // Z
    (n === 20 || (n > 21 && text.charCodeAt(19) === 46)) && // . and at least one digit
    SEPARATORS.every(([at, c]) => text.charCodeAt(at) === c) &&
    year >= 0 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 31 &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59;
  let micros = 0;
  if (valid && n > 20) {
    const digits = n - 21;
    if (digits <= 6) {
      micros = digitsAt(text, 20, n - 1) * 10 ** (6 - digits);
      valid = micros >= 0;
    } else {
      // As PostgreSQL reads a longer fraction: strtod of it, times 10^6, rounded half to even.
      valid = digitsAt(text, 20, n - 1) >= 0;
      const scaled = Number(`0.${text.slice(20, n - 1)}`) * 1e6;
      micros = Math.round(scaled);
      if (micros - scaled === 0.5 && micros % 2 !== 0) micros--;
    }
  }
  if (!valid) throw new TypeError(`binary COPY: '${text}' is not an ISO-8601 UTC timestamp`);
  const seconds =
    (daysFromCivil(year, month, day) - PG_EPOCH_DAYS) * 86_400 + hour * 3600 + minute * 60 + second;
  const total = seconds * 1e6 + micros;
  return Number.isSafeInteger(total) ? total : BigInt(seconds) * 1_000_000n + BigInt(micros);
};

/** The ISO-8601 text of microseconds since PostgreSQL's epoch (`…:SS.ffffffZ`). */
const isoOfMicroseconds = (micros: number | bigint): string => {
  const big = BigInt(micros);
  let ms = big / 1000n;
  if (big < ms * 1000n) ms -= 1n; // floor, also before the epoch
  const rest = Number(big - ms * 1000n);
  return `${new Date(Number(ms) + PG_EPOCH_MS).toISOString().slice(0, 23)}${String(rest).padStart(3, '0')}Z`;
};

/** The error of a value its column's type cannot take (a TypeError: callers fall back on it). */
const refusal = (name: string, value: unknown, what: string) =>
  new TypeError(`binary COPY: ${name} ${String(value)} is not ${what}`);

/**
 * Rows of one table's columns in binary COPY format, encoded as they are added: a million-row
 * replay's rows become bytes off V8's heap instead of objects that outlive its young generation.
 */
export class BinaryCopyEncoder {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  private offset = 0;
  /** `data()` handed out a view of the buffer: the next row writes to a copy. */
  private shared = false;
  /** Rows encoded so far. */
  rows = 0;

  constructor(readonly columns: readonly (readonly [string, BinaryType])[]) {
    this.buffer.set(SIGNATURE, 0);
    this.offset = SIGNATURE.length;
    this.int32(0); // flags
    this.int32(0); // header extension length
  }

  /** Encodes a row; throws, encoding nothing, on a value its column's type cannot take. */
  add(row: Readonly<Record<string, unknown>>): void {
    this.addWith(row, writeColumns);
  }

  /**
   * Encodes a row by `write`, which gives every column's value to `field`, in column order: a
   * writer that reads its row's properties by name, not by a key from a list (megamorphic loads
   * cost a third of an audit row's encoding). Nothing of the row stays if `write` throws.
   */
  addWith<R>(row: R, write: (encoder: BinaryCopyEncoder, row: R) => void): void {
    const start = this.offset;
    try {
      this.reserve(2);
      this.buffer[this.offset] = this.columns.length >>> 8;
      this.buffer[this.offset + 1] = this.columns.length & 255;
      this.offset += 2;
      write(this, row);
    } catch (error) {
      this.offset = start;
      throw error;
    }
    this.rows++;
  }

  /** The COPY data: every row added so far and the trailer (a view of the encoder's buffer). */
  data(): Buffer {
    this.reserve(2);
    this.buffer[this.offset] = 255; // int16 -1
    this.buffer[this.offset + 1] = 255;
    this.shared = true;
    return this.buffer.subarray(0, this.offset + 2);
  }

  private reserve(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length && !this.shared) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + bytes));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
    this.shared = false;
  }

  /** An int32 at the offset, reserved by the caller (Buffer's writeInt32BE checks its arguments). */
  private int32(value: number): void {
    const b = this.buffer;
    const o = this.offset;
    b[o] = value >>> 24;
    b[o + 1] = (value >>> 16) & 255;
    b[o + 2] = (value >>> 8) & 255;
    b[o + 3] = value & 255;
    this.offset = o + 4;
  }

  /** The next field of the row being added: `value` as a `type`, named `name` in errors. */
  field(value: unknown, type: BinaryType, name: string): void {
    if (value === null || value === undefined) {
      this.reserve(4);
      this.int32(-1);
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
          throw refusal(name, value, 'an int');
        this.reserve(8);
        this.int32(4);
        this.int32(value as number);
        break;
      case 'bigint':
        if (!Number.isSafeInteger(value)) throw refusal(name, value, 'a bigint');
        this.int64(value as number);
        break;
      case 'float8':
        if (typeof value !== 'number') throw refusal(name, value, 'a number');
        this.reserve(12);
        this.int32(8);
        this.buffer.writeDoubleBE(value, this.offset);
        this.offset += 8;
        break;
      case 'timestamptz':
        if (typeof value !== 'string') throw new TypeError(`binary COPY: ${name} must be an ISO-8601 string`);
        this.int64(pgMicroseconds(value));
        break;
      case 'jsonb':
        // jsonb's binary form: a version byte (1), then the JSON text.
        this.text(`\u0001${JSON.stringify(value)}`);
        break;
      case 'bool':
        if (typeof value !== 'boolean') throw refusal(name, value, 'a boolean');
        this.reserve(5);
        this.int32(1);
        this.buffer[this.offset++] = value ? 1 : 0;
        break;
    }
  }

  private int64(value: number | bigint): void {
    this.reserve(12);
    this.int32(8);
    if (typeof value === 'bigint') {
      this.buffer.writeBigInt64BE(value, this.offset);
      this.offset += 8;
    } else {
      const high = Math.floor(value / TWO_32);
      this.int32(high);
      this.int32(value - high * TWO_32);
    }
  }

  private uuid(value: unknown, name: string): void {
    const text = String(value);
    this.reserve(20);
    const b = this.buffer;
    const o = this.offset + 4;
    // A negative digit value (not hex) sets the sign bit of `bad`.
    let bad =
      text.length === 36 &&
      text.charCodeAt(8) === 45 && // '-'
      text.charCodeAt(13) === 45 &&
      text.charCodeAt(18) === 45 &&
      text.charCodeAt(23) === 45
        ? 0
        : -1;
    for (let k = 0; k < 16; k++) {
      const at = UUID_BYTE_AT[k]!;
      const high = HEX[text.charCodeAt(at)]!;
      const low = HEX[text.charCodeAt(at + 1)]!;
      bad |= high | low;
      b[o + k] = (high << 4) | low;
    }
    if (bad < 0) throw new TypeError(`binary COPY: ${name} '${text}' is not a UUID`);
    this.int32(16);
    this.offset += 16;
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
    this.int32(length);
    this.offset = start + length;
  }
}

const writeColumns = (encoder: BinaryCopyEncoder, row: Readonly<Record<string, unknown>>): void => {
  for (const [name, type] of encoder.columns) encoder.field(row[name], type, name);
};

/** The rows of binary COPY data, as `add` was given them (uuids lower-case, timestamps to µs). */
export const decodeBinaryCopy = (
  b: Buffer,
  columns: readonly (readonly [string, BinaryType])[],
): Record<string, unknown>[] => {
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
        case 'float8':
          row[name] = b.readDoubleBE(at);
          break;
        case 'timestamptz':
          row[name] = isoOfMicroseconds(b.readBigInt64BE(at));
          break;
        case 'jsonb':
          row[name] = JSON.parse(b.toString('utf8', at + 1, o));
          break;
        case 'bool':
          row[name] = b[at] === 1;
          break;
      }
    }
    rows.push(row);
  }
};
