import { BinaryCopyEncoder, type BinaryType, decodeBinaryCopy, isBinaryType } from './binary-copy.js';
import type { AuditRow } from './effects.js';
import { columnsOf } from './sql-bulk.js';

/** The audit's columns, every one of a type binary COPY encodes. */
export const AUDIT_COLUMNS = columnsOf('event_audit').map(([name, type]) => {
  if (!isBinaryType(type)) throw new Error(`event_audit.${name}: no binary COPY encoding for ${type}`);
  return [name, type] as const satisfies readonly [string, BinaryType];
});

/**
 * A batch's audit rows, one an event. Held as objects while few; from `encodeFrom` rows on they are
 * encoded for a binary COPY as they come (a replay's batch), so a row does not outlive its event:
 * held for the batch, every event's row and its six strings survived V8's young generation.
 */
export class AuditRows {
  private held: AuditRow[] = [];
  private encoder: BinaryCopyEncoder | undefined;

  /** `encodeFrom`: from how many rows on they are encoded; never by default (PGlite takes no COPY). */
  constructor(private readonly encodeFrom = Number.POSITIVE_INFINITY) {}

  get length(): number {
    return this.held.length + (this.encoder?.rows ?? 0);
  }

  /** Adds a row; throws, adding nothing, on a value binary COPY cannot take. */
  push(row: AuditRow): void {
    if (this.encoder) this.encoder.add(row);
    else if (this.held.length + 1 < this.encodeFrom) this.held.push(row);
    else {
      this.encoder = encoderOf([...this.held, row]);
      this.held = [];
    }
  }

  /** The rows as binary COPY data, in order. */
  binary(): Buffer {
    return (this.encoder ?? encoderOf(this.held)).data();
  }

  /** The rows as objects, in order (decoded, if they were encoded: uuids lower-case, timestamps to µs). */
  rows(): AuditRow[] {
    return this.encoder ? (decodeBinaryCopy(this.encoder.data(), AUDIT_COLUMNS) as AuditRow[]) : this.held;
  }
}

const encoderOf = (rows: readonly AuditRow[]): BinaryCopyEncoder => {
  const encoder = new BinaryCopyEncoder(AUDIT_COLUMNS);
  for (const row of rows) encoder.add(row);
  return encoder;
};
