/**
 * Array parameters in PostgreSQL's binary format. node-postgres sends a Buffer parameter as binary,
 * and `$n::float8[]` makes the server read it with array_recv: no decimal printing in Node and no
 * parsing in PostgreSQL, which is most of the cost of writing thousands of coordinate rows.
 */

const FLOAT8_OID = 701;
const HEADER = 20;

/** A one-dimensional float8[] (NaN as NULL) in binary wire format. */
export const binaryFloat8Array = (values: ArrayLike<number>): Buffer => {
  let nulls = 0;
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i]!)) nulls++;
  const buf = Buffer.allocUnsafe(HEADER + values.length * 4 + (values.length - nulls) * 8);
  buf.writeInt32BE(1, 0); // dimensions
  buf.writeInt32BE(nulls > 0 ? 1 : 0, 4); // has nulls
  buf.writeInt32BE(FLOAT8_OID, 8);
  buf.writeInt32BE(values.length, 12); // length of the dimension
  buf.writeInt32BE(1, 16); // lower bound
  let at = HEADER;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) {
      buf.writeInt32BE(-1, at);
      at += 4;
    } else {
      buf.writeInt32BE(8, at);
      buf.writeDoubleBE(v, at + 4);
      at += 12;
    }
  }
  return buf;
};

/** A PostgreSQL text array literal of integers. */
export const integerArray = (values: readonly number[]): string => `{${values.join(',')}}`;

/** A PostgreSQL text array literal of UUIDs (their text has nothing to quote). */
export const uuidArray = (values: readonly string[]): string => `{${values.join(',')}}`;
