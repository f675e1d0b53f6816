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
    if (this.encoder) this.encoder.addWith(row, writeAudit);
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

/** An audit row's fields in AUDIT_COLUMNS' order (a test holds it to the generic encoding). */
export const writeAudit = (e: BinaryCopyEncoder, r: AuditRow): void => {
  e.field(r.sequence, 'bigint', 'sequence');
  e.field(r.event_id, 'uuid', 'event_id');
  e.field(r.event_type, 'text', 'event_type');
  e.field(r.aggregate_type, 'text', 'aggregate_type');
  e.field(r.aggregate_id, 'uuid', 'aggregate_id');
  e.field(r.aggregate_version, 'int', 'aggregate_version');
  e.field(r.correlation_id, 'uuid', 'correlation_id');
  e.field(r.causation_id, 'uuid', 'causation_id');
  e.field(r.occurred_at, 'timestamptz', 'occurred_at');
  e.field(r.schema_version, 'int', 'schema_version');
};

const encoderOf = (rows: readonly AuditRow[]): BinaryCopyEncoder => {
  const encoder = new BinaryCopyEncoder(AUDIT_COLUMNS);
  for (const row of rows) encoder.addWith(row, writeAudit);
  return encoder;
};
