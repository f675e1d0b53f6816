import { escapeIdentifier, type Pool } from 'pg';
import { quoteQualified, type SpaceWrite } from './space-writes.js';

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

/** Commit statements by shape (schema and the writes' shapes), each with its prepared statement's name. */
const statements = new Map<string, { name: string; text: string }>();

/**
 * The commit statement of `writes` on `table`: `$1` projector, `$2` next, `$3` previous and `$4` the
 * model's checkpoint, then each write's values. Each shape is prepared once per connection; with the
 * session's `plan_cache_mode = force_generic_plan` it is not planned again (planning was as costly as
 * executing a live batch's statement).
 */
const statementFor = (table: string, writes: readonly SpaceWrite[]): { name: string; text: string } => {
  const shape = [table, ...writes.map((w) => w.shape)].join('|');
  let statement = statements.get(shape);
  if (statement === undefined) {
    let next = 5;
    const ctes = writes.map((w, i) => {
      const text = `, ${escapeIdentifier(`write_${i}`)} AS (${w.text(next)})`;
      next += w.values.length;
      return text;
    });
    const t = quoteQualified(table);
    const text = `
    WITH old AS (SELECT sequence FROM ${t} WHERE projector = $1::text),
      inserted AS (
        INSERT INTO ${t} (projector, sequence)
        SELECT $1::text, $2::bigint
        WHERE $3::bigint = 0 AND $4::bigint = 0 AND NOT EXISTS (SELECT 1 FROM old)
        ON CONFLICT (projector) DO NOTHING RETURNING 1),
      updated AS (
        UPDATE ${t} SET sequence = $2::bigint, updated_at = now()
        WHERE projector = $1::text AND sequence = $3::bigint AND sequence = $4::bigint
        RETURNING 1),
      gate AS (SELECT 1 FROM inserted UNION ALL SELECT 1 FROM updated)
      ${ctes.join('')}
    SELECT (SELECT sequence FROM old) AS stored, EXISTS (SELECT 1 FROM gate) AS written`;
    statement = { name: `cim_space_commit_${statements.size + 1}`, text };
    statements.set(shape, statement);
  }
  return statement;
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
  pool: Pool,
  gate: CommitGate,
  writes: readonly SpaceWrite[],
): Promise<CommitOutcome> => {
  const { projector, model, previous, next } = gate;
  const { name, text } = statementFor(gate.table, writes);
  const { rows } = await pool.query<{ stored: string | null; written: boolean }>({
    name,
    text,
    values: [projector, next, previous, model, ...writes.flatMap((w) => w.values)],
  });
  const row = rows[0]!;
  return { written: row.written, stored: row.stored == null ? 0 : Number(row.stored) };
};
