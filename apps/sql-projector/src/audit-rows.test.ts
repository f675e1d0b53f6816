import { describe, expect, it } from 'vitest';
import { AUDIT_COLUMNS, AuditRows, writeAudit } from './audit-rows.js';
import { BinaryCopyEncoder, decodeBinaryCopy } from './binary-copy.js';
import type { AuditRow } from './effects.js';

const row = (sequence: number): AuditRow => ({
  sequence,
  event_id: `0194f0c2-7a1b-7c3d-8e4f-${String(sequence).padStart(12, '0')}`,
  event_type: 'ComputeMeasured',
  aggregate_type: 'compute',
  aggregate_id: '0194f0c2-7a1b-7c3d-8e4f-5a6b7c8d9e0f',
  aggregate_version: sequence + 1,
  correlation_id: '0194f0c2-7a1b-7c3d-8e4f-5a6b7c8d9e0f',
  causation_id: '0194f0c2-7a1b-7c3d-8e4f-5a6b7c8d9e0f',
  occurred_at: `2025-01-06T02:22:${String(sequence % 60).padStart(2, '0')}.5Z`,
  schema_version: 1,
});
/** A row as binary COPY gives it back: the same instant, with six fraction digits. */
const canonical = (r: AuditRow) => ({
  ...r,
  occurred_at: (r.occurred_at as string).replace('.5Z', '.500000Z'),
});

describe('audit rows', () => {
  it("are written in the audit's column order, as the generic encoding writes them", () => {
    const generic = new BinaryCopyEncoder(AUDIT_COLUMNS);
    const written = new BinaryCopyEncoder(AUDIT_COLUMNS);
    for (const s of [1, 2, 3]) {
      generic.add(row(s));
      written.addWith(row(s), writeAudit);
    }
    expect(written.data().equals(generic.data())).toBe(true);
    expect(AUDIT_COLUMNS.map(([name]) => name)).toEqual(Object.keys(row(1)));
  });

  it('holds rows as objects below encodeFrom and encodes them, in order, from it on', () => {
    const audit = new AuditRows(3);
    audit.push(row(1));
    audit.push(row(2));
    expect(audit.rows()).toEqual([row(1), row(2)]);
    for (let s = 3; s <= 5; s++) audit.push(row(s));
    expect(audit.length).toBe(5);
    const expected = [1, 2, 3, 4, 5].map((s) => canonical(row(s)));
    expect(audit.rows()).toEqual(expected);
    expect(decodeBinaryCopy(audit.binary(), AUDIT_COLUMNS)).toEqual(expected);
  });

  it('gives binary data of rows it holds without encoding them for good', () => {
    const audit = new AuditRows();
    audit.push(row(1));
    expect(decodeBinaryCopy(audit.binary(), AUDIT_COLUMNS)).toEqual([canonical(row(1))]);
    expect(audit.rows()).toEqual([row(1)]);
  });

  it('adds nothing of a row it cannot encode', () => {
    const audit = new AuditRows(1);
    audit.push(row(1));
    expect(() => audit.push({ ...row(2), occurred_at: 'yesterday' })).toThrow(
      /'yesterday' is not an ISO-8601/,
    );
    expect(audit.length).toBe(1);
    audit.push(row(3));
    expect(audit.rows().map((r) => r.sequence)).toEqual([1, 3]);
  });
});
