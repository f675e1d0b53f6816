import { type RawBuilder, sql } from 'kysely';
import type pg from 'pg';
import type { Db } from './space-store.js';

/** Where a batch's commit expects the store to be, and where it moves the checkpoint. */
export interface CommitGate {
  projector: string;
  /** `schema.table` of the checkpoints. */
  table: string;
  /** The checkpoint the model in memory was built to; the writes are only right on top of it. */
  model: number;
  /** The checkpoint the kit holds (a missing row holds 0). */
  previous: number;
  /** The checkpoint after the batch. */
  next: number;
}

export interface CommitOutcome {
  written: boolean;
  /** The stored checkpoint the statement found (0 when there is no row). */
  stored: number;
}

/**
 * Names of prepared statements by text, per process. A batch's statement has one of a few shapes
 * (which writes it carries, which schema), each prepared once per connection; with the session's
 * `plan_cache_mode = force_generic_plan` it is not planned again (planning was as costly as
 * executing a live batch's statement).
 */
const prepared = new Map<string, string>();
const statementName = (text: string): string => {
  let name = prepared.get(text);
  if (name === undefined) {
    name = `cim_space_commit_${prepared.size + 1}`;
    prepared.set(text, name);
  }
  return name;
};

/**
 * Commits a batch in one statement, outside any explicit transaction: one round trip instead of
 * BEGIN, a lock, the writes, the checkpoint and COMMIT (6–7 round trips, each a wake-up of
 * PostgreSQL's backend and of the projector, which under load is most of a live batch's latency).
 * The checkpoint moves from `previous` to `next` only if the store holds both `previous` and the
 * model's own checkpoint; every write joins `gate`, the row that move returns, so on a store that is
 * elsewhere nothing is written. The UPDATE's row lock serialises two writers (the loser re-reads the
 * row and finds it moved). A single statement is atomic; data-modifying WITH queries run to
 * completion whether or not the main query reads them.
 */
export const commitInOneStatement = async (
  db: Db,
  pool: pg.Pool,
  gate: CommitGate,
  writes: readonly RawBuilder<unknown>[],
): Promise<CommitOutcome> => {
  const table = sql.table(gate.table);
  const { projector, model, previous, next } = gate;
  const ctes = writes.map((w, i) => sql`, ${sql.id(`write_${i}`)} AS (${w})`);
  const statement = sql<{ stored: string | null; written: boolean }>`
    WITH old AS (SELECT sequence FROM ${table} WHERE projector = ${projector}),
      inserted AS (
        INSERT INTO ${table} (projector, sequence)
        SELECT ${projector}, ${next}::bigint
        WHERE ${previous}::bigint = 0 AND ${model}::bigint = 0 AND NOT EXISTS (SELECT 1 FROM old)
        ON CONFLICT (projector) DO NOTHING RETURNING 1),
      updated AS (
        UPDATE ${table} SET sequence = ${next}::bigint, updated_at = now()
        WHERE projector = ${projector} AND sequence = ${previous}::bigint AND sequence = ${model}::bigint
        RETURNING 1),
      gate AS (SELECT 1 FROM inserted UNION ALL SELECT 1 FROM updated)
      ${sql.join(ctes, sql``)}
    SELECT (SELECT sequence FROM old) AS stored, EXISTS (SELECT 1 FROM gate) AS written`.compile(db);
  const { rows } = await pool.query<{ stored: string | null; written: boolean }>({
    name: statementName(statement.sql),
    text: statement.sql,
    values: [...statement.parameters],
  });
  const row = rows[0]!;
  return { written: row.written, stored: row.stored == null ? 0 : Number(row.stored) };
};
