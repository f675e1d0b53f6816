import type { SqlExecutor } from '@cim/projection-kit';
import { CompiledQuery, type QueryResult } from 'kysely';

/** What a kysely database or transaction offers for running a compiled query. */
export interface QueryRunner {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

/** Name of the checkpoint table inside the model's schema, so a blue/green swap moves it along. */
export const CHECKPOINT_TABLE = 'projection_checkpoints';

/** Schema-qualified name the kit's sql-checkpoint helpers take. */
export const checkpointTableIn = (schema: string): string => `${schema}.${CHECKPOINT_TABLE}`;

/**
 * The kit's driver-free `SqlExecutor` over kysely (a database or a transaction), so the kit's
 * checkpoint helpers run inside the projection's own transaction.
 */
export const executorOf = (db: QueryRunner): SqlExecutor => ({
  async query(text, values = []) {
    const result = await db.executeQuery(CompiledQuery.raw(text, values));
    return { rows: result.rows as Record<string, unknown>[] };
  },
});
