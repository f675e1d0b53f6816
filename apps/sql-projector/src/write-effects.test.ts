import { generateFleet } from '@cim/fleet-generator';
import { foldBatch } from '@cim/projection-kit';
import { describe, expect, it } from 'vitest';
import { AUDIT_COLUMNS } from './audit-rows.js';
import { decodeBinaryCopy } from './binary-copy.js';
import { COPY_MIN_ROWS, isCopy } from './copy-rows.js';
import { initialModelState, sqlProjection } from './model.js';
import { planStatements } from './write-effects.js';
import { addToPlan, emptyPlan, linkToFinalNetworks } from './write-plan.js';

/** The write plan of one batch of a generated fleet's first events (its inventory). */
const planOf = (resources: number, events: number) => {
  const batch = [...generateFleet({ resources, events, seed: 3 })].map((event, i) => ({
    sequence: i + 1,
    subject: '',
    timestamp: new Date(),
    event,
  }));
  const { state, effects } = foldBatch(sqlProjection, initialModelState(), batch);
  return linkToFinalNetworks(addToPlan(emptyPlan(), effects), state.networks);
};

const decodeBinaryCopyOf = (data: string | Buffer) => {
  if (typeof data === 'string') throw new Error('expected binary COPY data');
  return decodeBinaryCopy(data, AUDIT_COLUMNS);
};

const copiedTables = (writes: ReturnType<typeof planStatements>) =>
  writes.filter(isCopy).map((w) => /^COPY "[^"]+"\."([^"]+)"/.exec(w.copy)?.[1]);

describe('plan statements', () => {
  it('copies in large inserts of new or skipped rows, never an upsert, and only where asked', () => {
    const plan = planOf(300, 1_200);
    expect(plan.audit.length).toBeGreaterThanOrEqual(COPY_MIN_ROWS);
    const interfaces = [...plan.interfaces.values()].flatMap((l) => l.interfaces);
    expect(interfaces.length).toBeGreaterThanOrEqual(COPY_MIN_ROWS);
    expect(plan.entities.connections.puts.size).toBeGreaterThan(0);

    const copied = copiedTables(planStatements('m', plan, COPY_MIN_ROWS));
    expect(copied).toContain('event_audit');
    expect(copied).toContain('interfaces');
    expect(copied).not.toContain('connections');
    expect(copiedTables(planStatements('m', plan))).toEqual([]);
    // A small batch keeps its statements.
    expect(copiedTables(planStatements('m', planOf(3, 20), COPY_MIN_ROWS))).toEqual([]);
  });

  it('runs instead of a copy the insert of the same rows', () => {
    const plan = planOf(300, 1_200);
    const audit = planStatements('m', plan, COPY_MIN_ROWS).filter(isCopy).at(-1)!;
    expect(audit.copy).toMatch(/^COPY "m"\."event_audit" \(.*\) FROM STDIN \(FORMAT binary\)$/);
    expect(decodeBinaryCopyOf(audit.data)).toHaveLength(plan.audit.length);
    const [insert] = audit.instead();
    expect(insert?.sql).toMatch(/^INSERT INTO "m"\."event_audit" .* ON CONFLICT \("sequence"\) DO NOTHING$/s);
    expect(audit.instead()).toEqual(
      planStatements('m', plan).filter((s) => !isCopy(s) && s.sql.includes('"event_audit"')),
    );
  });
});
