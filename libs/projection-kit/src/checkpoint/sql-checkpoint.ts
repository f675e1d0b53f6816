import { CheckpointMovedError } from '../errors.js';

/**
 * Checkpoints kept in an SQL table, written in the same transaction as the read model.
 * Driver-free: anything with pg's `query(text, values)` shape works (a pg Pool, PoolClient or Client).
 */
export interface SqlExecutor {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** @default 'projection_checkpoints' */
export const DEFAULT_CHECKPOINT_TABLE = 'projection_checkpoints';

/** Quotes a table name, schema-qualified or not (`schema.table`). */
const ident = (name: string) =>
  name
    .split('.')
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.');

export const ensureCheckpointTable = async (
  db: SqlExecutor,
  table = DEFAULT_CHECKPOINT_TABLE,
): Promise<void> => {
  await db.query(
    `CREATE TABLE IF NOT EXISTS ${ident(table)} (
       projector text PRIMARY KEY,
       sequence bigint NOT NULL CHECK (sequence >= 0),
       updated_at timestamptz NOT NULL DEFAULT now())`,
  );
};

export const readSqlCheckpoint = async (
  db: SqlExecutor,
  projector: string,
  table = DEFAULT_CHECKPOINT_TABLE,
): Promise<number> => {
  const { rows } = await db.query(`SELECT sequence FROM ${ident(table)} WHERE projector = $1`, [projector]);
  return rows[0] ? Number(rows[0].sequence) : 0;
};

/** A parameterised statement: `text` with `$1`… placeholders and their values. */
export interface SqlStatement {
  text: string;
  values: unknown[];
}

/**
 * Moves the checkpoint of projector $1 from $3 (`expected`; a missing row holds 0) to $2, then
 * answers with `answer`, which reads the WITH queries `old` (the stored value), `ins` and `upd` (a
 * row when the move happened). The UPDATE's row lock serialises two writers; the loser finds the new
 * value.
 */
const checkpointMove = (
  projector: string,
  sequence: number,
  expected: number,
  table: string,
  answer: string,
): SqlStatement => ({
  // Every parameter is cast: a server-side PREPARE of the text types them from it.
  text: `WITH old AS (SELECT sequence FROM ${ident(table)} WHERE projector = $1::text),
        ins AS (INSERT INTO ${ident(table)} (projector, sequence)
                SELECT $1::text, $2::bigint WHERE $3::bigint = 0 AND NOT EXISTS (SELECT 1 FROM old)
                ON CONFLICT (projector) DO NOTHING RETURNING 0::bigint AS sequence),
        upd AS (UPDATE ${ident(table)} SET sequence = $2::bigint, updated_at = now()
                WHERE projector = $1::text AND sequence = $3::bigint RETURNING 1)
     ${answer}`,
  values: [projector, sequence, expected],
});

/** True when the checkpoint moved. */
const MOVED = 'EXISTS (SELECT 1 FROM ins) OR EXISTS (SELECT 1 FROM upd)';

/** SQLSTATE of the error the guard function raises (class "CK": not one of PostgreSQL's). */
export const CHECKPOINT_MOVED_SQLSTATE = 'CK001';

const guardOf = (table: string) => `${table}_moved`;

/**
 * Creates the function {@link sqlCheckpointAdvance} raises through: PostgreSQL has no way to raise
 * an error from plain SQL. It lives beside the table (a schema swap takes it along). Idempotent.
 */
export const ensureCheckpointGuard = async (
  db: SqlExecutor,
  table = DEFAULT_CHECKPOINT_TABLE,
): Promise<void> => {
  await db.query(
    `CREATE OR REPLACE FUNCTION ${ident(guardOf(table))}(expected bigint, stored bigint) RETURNS boolean
     LANGUAGE plpgsql AS $guard$
     BEGIN
       RAISE EXCEPTION 'store checkpoint is %, expected %', stored, expected
         USING ERRCODE = '${CHECKPOINT_MOVED_SQLSTATE}', DETAIL = stored::text;
     END $guard$`,
  );
};

/**
 * {@link writeSqlCheckpoint}'s statement, failing instead of answering: when the table does not hold
 * `expected` the statement raises (the function {@link ensureCheckpointGuard} made), so it can go in
 * one message with the batch's writes and a COMMIT that then never runs. The error becomes a
 * {@link CheckpointMovedError} with {@link checkpointMovedFrom}.
 */
export const sqlCheckpointAdvance = (
  projector: string,
  sequence: number,
  expected: number,
  table = DEFAULT_CHECKPOINT_TABLE,
): SqlStatement =>
  checkpointMove(
    projector,
    sequence,
    expected,
    table,
    `SELECT CASE WHEN ${MOVED} THEN true
                 ELSE ${ident(guardOf(table))}($3::bigint, coalesce((SELECT sequence FROM old), 0)) END AS written`,
  );

/** The {@link CheckpointMovedError} a failed {@link sqlCheckpointAdvance} stands for, if `error` is one. */
export const checkpointMovedFrom = (error: unknown, expected: number): CheckpointMovedError | undefined => {
  const e = error as { code?: unknown; detail?: unknown } | null;
  if (e?.code !== CHECKPOINT_MOVED_SQLSTATE) return undefined;
  return new CheckpointMovedError(expected, Number(e.detail));
};

/**
 * Writes the checkpoint, but only if the table still holds `expected` (the checkpoint the kit holds;
 * a missing row holds 0). Throws {@link CheckpointMovedError} otherwise, so a batch never lands on a
 * store that lost or rewound commits behind the projector's back. One round trip.
 */
export const writeSqlCheckpoint = async (
  db: SqlExecutor,
  projector: string,
  sequence: number,
  expected: number,
  table = DEFAULT_CHECKPOINT_TABLE,
): Promise<void> => {
  const { text, values } = checkpointMove(
    projector,
    sequence,
    expected,
    table,
    `SELECT (SELECT sequence FROM old) AS old, ${MOVED} AS written`,
  );
  const [row] = (await db.query(text, values)).rows;
  if (row?.written !== true) throw new CheckpointMovedError(expected, row?.old == null ? 0 : Number(row.old));
};
