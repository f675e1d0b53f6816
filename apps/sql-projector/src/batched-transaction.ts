import type pg from 'pg';
import { inlineParameters, type ParameterisedStatement } from './inline-parameters.js';

/**
 * Runs a unit of work on PostgreSQL in two round trips, however many statements it has: BEGIN, the
 * statements and a last one whose rows decide, as one multi-statement message (the simple query
 * protocol, parameters inlined as literals), then COMMIT, or ROLLBACK when `commitIf` says no (the
 * rows are returned either way). node-postgres waits for each statement's reply before it sends the
 * next, and on a shared 2-core machine every round trip is two wake-ups (the projector's and the
 * PostgreSQL backend's): a live batch of a few events spent more time in them than in its work.
 * A failing statement stops the message there; the transaction is rolled back and the error thrown.
 */
export const runBatchedTransaction = async (
  pool: pg.Pool,
  statements: readonly ParameterisedStatement[],
  last: ParameterisedStatement,
  commitIf: (rows: Record<string, unknown>[]) => boolean,
): Promise<Record<string, unknown>[]> => {
  const script = ['BEGIN', ...statements.map(inlineParameters), inlineParameters(last)].join(';\n');
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const results = (await client.query(script)) as unknown as pg.QueryResult[];
    const rows = results[results.length - 1]!.rows as Record<string, unknown>[];
    await client.query(commitIf(rows) ? 'COMMIT' : 'ROLLBACK');
    return rows;
  } catch (error) {
    // An open transaction must not go back to the pool; a connection that cannot roll back is dropped.
    await client.query('ROLLBACK').catch((e: unknown) => {
      broken = e as Error;
    });
    throw error;
  } finally {
    client.release(broken);
  }
};
