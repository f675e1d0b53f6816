import type pg from 'pg';
import { inlineParameters, type ParameterisedStatement, sqlLiteral } from './inline-parameters.js';
import { ServerStatements } from './server-statements.js';

/** Statement shapes prepared on the server, shared by every connection of the process. */
const shapes = new ServerStatements();

/** Statement texts of this process that PostgreSQL refused to prepare (they run inline). */
export const refusedStatements = (): string[] => shapes.refused();

/** PostgreSQL's SQLSTATE for an unknown prepared statement (someone ran DEALLOCATE). */
const UNKNOWN_STATEMENT = '26000';

/**
 * Runs a unit of work on PostgreSQL in one round trip, however many statements it has: BEGIN, the
 * statements and COMMIT as one multi-statement message (the simple query protocol). node-postgres
 * waits for each statement's reply before it sends the next, and on a shared 2-core machine every
 * round trip is two wake-ups (the projector's and the PostgreSQL backend's): a live batch of a few
 * events spent more time in them than in its work.
 *
 * A small statement runs as `EXECUTE` of a server-side prepared statement with its values as
 * literals ({@link ServerStatements}): a live batch's statements were parsed and planned at every
 * commit, as much PostgreSQL time as executing them. A statement that fails (a checkpoint guard among them)
 * stops the message before COMMIT; the transaction is then rolled back, in a second round trip, and
 * the error thrown.
 */
export const runBatchedTransaction = async (
  pool: pg.Pool,
  statements: readonly ParameterisedStatement[],
): Promise<void> => {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        // Preparing a new shape is a round trip of its own: a connection lost there is handled here too.
        await client.query(await scriptFor(client, statements));
        return;
      } catch (error) {
        // An open transaction must not go back to the pool; a connection that cannot roll back is dropped.
        await client.query('ROLLBACK').catch((e: unknown) => {
          broken = e as Error;
        });
        if (broken || attempt > 0 || (error as { code?: unknown }).code !== UNKNOWN_STATEMENT) throw error;
        // Deallocated behind our back: prepare again and retry once.
        shapes.forget(client);
      }
    }
  } finally {
    client.release(broken);
  }
};

/**
 * Values of at most this many characters make a statement run prepared. A generic plan costs more
 * per row than one planned for the values (a 300k-event replay of 2,000-event batches: PostgreSQL
 * +4 CPU seconds, -25% events/s), so a large batch, whose planning is paid once for thousands of
 * rows, runs inline; a live batch of a few events saves the planning.
 */
export const PREPARED_MAX_VALUE_CHARS = 8_192;

const small = (statement: ParameterisedStatement): boolean => {
  let chars = 0;
  for (const value of statement.parameters) if (typeof value === 'string') chars += value.length;
  return chars <= PREPARED_MAX_VALUE_CHARS;
};

const scriptFor = async (
  client: pg.PoolClient,
  statements: readonly ParameterisedStatement[],
): Promise<string> => {
  const parts = ['BEGIN'];
  for (const statement of statements) {
    const name = small(statement) ? await shapes.prepare(client, statement.sql) : undefined;
    parts.push(
      name === undefined
        ? inlineParameters(statement)
        : statement.parameters.length === 0
          ? `EXECUTE ${name}`
          : `EXECUTE ${name}(${statement.parameters.map(sqlLiteral).join(', ')})`,
    );
  }
  parts.push('COMMIT');
  return parts.join(';\n');
};
