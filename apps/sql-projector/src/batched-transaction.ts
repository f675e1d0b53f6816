import pg from 'pg';
import { isCopy, type Write } from './copy-rows.js';
import { inlineParameters, type ParameterisedStatement, sqlLiteral } from './inline-parameters.js';
import { ServerStatements } from './server-statements.js';

/** Statement shapes prepared on the server, shared by every connection of the process. */
const shapes = new ServerStatements();

/** Statement texts of this process that PostgreSQL refused to prepare (they run inline). */
export const refusedStatements = (): string[] => shapes.refused();

/** PostgreSQL's SQLSTATE for an unknown prepared statement (someone ran DEALLOCATE). */
const UNKNOWN_STATEMENT = '26000';
/** PostgreSQL's SQLSTATE for a duplicate key. */
const UNIQUE_VIOLATION = '23505';

/**
 * Runs a unit of work on PostgreSQL in one round trip, however many statements it has: BEGIN, the
 * statements and COMMIT as one multi-statement message (the simple query protocol). node-postgres
 * waits for each statement's reply before it sends the next, and on a shared 2-core machine every
 * round trip is two wake-ups (the projector's and the PostgreSQL backend's): a live batch of a few
 * events spent more time in them than in its work.
 *
 * A small statement runs as `EXECUTE` of a server-side prepared statement with its values as
 * literals ({@link ServerStatements}): a live batch's statements were parsed and planned at every
 * commit, as much PostgreSQL time as executing them. Rows to copy in ({@link CopyStatement}) are a
 * `COPY … FROM STDIN` of the message, their data sent right behind it ({@link MessageWithCopies}).
 * A statement that fails (a checkpoint guard among them) stops the message before COMMIT; the
 * transaction is then rolled back, in a second round trip, and the error thrown.
 */
export const runBatchedTransaction = async (pool: pg.Pool, writes: readonly Write[]): Promise<void> => {
  const client = await pool.connect();
  let broken: Error | undefined;
  let work = writes;
  let prepareAgain = true;
  try {
    for (;;) {
      try {
        // Preparing a new shape is a round trip of its own: a connection lost there is handled here too.
        await send(client, await messageOf(client, work));
        return;
      } catch (error) {
        // An open transaction must not go back to the pool; a connection that cannot roll back is dropped.
        await client.query('ROLLBACK').catch((e: unknown) => {
          broken = e as Error;
        });
        if (broken) throw error;
        const code = (error as { code?: unknown }).code;
        if (code === UNKNOWN_STATEMENT && prepareAgain) {
          // Deallocated behind our back: prepare again and retry once.
          shapes.forget(client);
          prepareAgain = false;
        } else if (code === UNIQUE_VIOLATION && work.some(isCopy)) {
          // Rows the table holds already, which COPY cannot skip: the statements that skip them.
          work = work.flatMap((w) => (isCopy(w) ? w.instead() : [w]));
        } else throw error;
      }
    }
  } finally {
    client.release(broken);
  }
};

/** The parts of pg's connection that send a COPY's data (not in its type declarations). */
interface CopyConnection {
  readonly stream: { cork(): void; uncork(): void };
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

const submitQuery = pg.Query.prototype.submit;

/**
 * A multi-statement message whose `COPY … FROM STDIN` statements take their rows from CopyData
 * messages sent right behind it, in the same write, instead of after the server asks for them: a
 * COPY then costs no round trip of its own. (Each extra round trip used to wait for the event loop,
 * busy folding the next batch: a 300k replay ran 12% slower.) The server runs the message's
 * statements in order, each COPY reading its data as it comes to it; when a statement before a
 * COPY fails, the rest of the message is skipped and the data that follows dropped, as the
 * protocol specifies.
 */
class MessageWithCopies extends pg.Query {
  constructor(text: string, copies: readonly (string | Buffer)[], done: (error: Error | undefined) => void) {
    super(text, (error) => done(error ?? undefined));
    this.submit = (connection) => {
      const copying = connection as unknown as CopyConnection;
      copying.stream.cork();
      try {
        submitQuery.call(this, connection);
        for (const data of copies) {
          copying.sendCopyFromChunk(typeof data === 'string' ? Buffer.from(data) : data);
          copying.endCopyFrom();
        }
      } finally {
        copying.stream.uncork();
      }
    };
  }

  /** Its data went out with the message; pg's own Query would refuse the copy here. */
  handleCopyInResponse(): void {}
}

const send = (client: pg.PoolClient, { text, copies }: Message): Promise<void> => {
  if (copies.length === 0) return client.query(text).then(() => undefined);
  return new Promise((resolve, reject) => {
    client.query(new MessageWithCopies(text, copies, (error) => (error ? reject(error) : resolve())));
  });
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

interface Message {
  readonly text: string;
  /** The data of the message's COPY statements, in their order. */
  readonly copies: readonly (string | Buffer)[];
}

/** The transaction as one message; a statement that can run prepared is prepared first. */
const messageOf = async (client: pg.PoolClient, writes: readonly Write[]): Promise<Message> => {
  const parts = ['BEGIN'];
  const copies: (string | Buffer)[] = [];
  for (const write of writes) {
    if (isCopy(write)) {
      if (write.before) parts.push(write.before);
      parts.push(write.copy);
      copies.push(write.data);
      if (write.after) parts.push(write.after);
      continue;
    }
    const name = small(write) ? await shapes.prepare(client, write.sql) : undefined;
    parts.push(
      name === undefined
        ? inlineParameters(write)
        : write.parameters.length === 0
          ? `EXECUTE ${name}`
          : `EXECUTE ${name}(${write.parameters.map(sqlLiteral).join(', ')})`,
    );
  }
  parts.push('COMMIT');
  return { text: parts.join(';\n'), copies };
};
