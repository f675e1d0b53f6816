import type pg from 'pg';
import { inlineParameters, type ParameterisedStatement } from './inline-parameters.js';

/**
 * Runs a unit of work on PostgreSQL in one round trip, however many statements it has: BEGIN, the
 * statements and COMMIT as one multi-statement message (the simple query protocol, parameters
 * inlined as literals). node-postgres waits for each statement's reply before it sends the next,
 * and on a shared 2-core machine every round trip is two wake-ups (the projector's and the
 * PostgreSQL backend's): a live batch of a few events spent more time in them than in its work.
 * A statement that fails (a checkpoint guard among them) stops the message before COMMIT; the
 * transaction is then rolled back, in a second round trip, and the error thrown.
 */
export const runBatchedTransaction = async (
  pool: pg.Pool,
  statements: readonly ParameterisedStatement[],
): Promise<void> => {
  const script = ['BEGIN', ...statements.map(inlineParameters), 'COMMIT'].join(';\n');
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(script);
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
