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

export const writeSqlCheckpoint = async (
  db: SqlExecutor,
  projector: string,
  sequence: number,
  table = DEFAULT_CHECKPOINT_TABLE,
): Promise<void> => {
  await db.query(
    `INSERT INTO ${ident(table)} (projector, sequence) VALUES ($1, $2)
     ON CONFLICT (projector) DO UPDATE SET sequence = EXCLUDED.sequence, updated_at = now()`,
    [projector, sequence],
  );
};
