import { type Kysely, sql } from 'kysely';

/** The schema a blue/green rebuild builds into. */
export const shadowSchemaOf = (live: string): string => `${live}_shadow`;
/** Where the replaced model waits to be dropped right after a swap. */
export const retiredSchemaOf = (live: string): string => `${live}_old`;

export const dropSchema = async <DB>(db: Kysely<DB>, schema: string): Promise<void> => {
  await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db);
};

const schemaExists = async <DB>(db: Kysely<DB>, schema: string): Promise<boolean> => {
  const { rows } = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = ${schema}`.execute(db);
  return (rows[0]?.n ?? 0) > 0;
};

/**
 * Makes the shadow model live in one transaction: two schema renames, which touch no table and so
 * wait for no reader. Queries that already resolved the old tables finish on them; every later query
 * sees the new model whole. `prepare` runs first in the same transaction, on the shadow (e.g. to
 * build its indexes). Returns false when there is no shadow (a retried swap that already
 * committed). The retired schema is dropped separately, after in-flight readers are done with it.
 */
export const swapInShadow = async <DB>(
  db: Kysely<DB>,
  live: string,
  prepare: (trx: Kysely<DB>, shadow: string) => Promise<void> = async () => {},
): Promise<boolean> => {
  const shadow = shadowSchemaOf(live);
  const retired = retiredSchemaOf(live);
  return db.transaction().execute(async (trx) => {
    if (!(await schemaExists(trx, shadow))) return false;
    await prepare(trx, shadow);
    await dropSchema(trx, retired);
    await sql`ALTER SCHEMA ${sql.id(live)} RENAME TO ${sql.id(retired)}`.execute(trx);
    await sql`ALTER SCHEMA ${sql.id(shadow)} RENAME TO ${sql.id(live)}`.execute(trx);
    return true;
  });
};
