import { PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';

/** PostgreSQL connection settings of the projector's pools. */
export interface PoolOptions {
  connectionString: string;
  /** @default 4 */
  max?: number;
  /** @default 5000 */
  connectionTimeoutMillis?: number;
  /** Session settings of every connection (`-c name=value` at connect). */
  settings?: Readonly<Record<string, string>>;
}

/**
 * A pg pool for kysely that survives outages: idle clients that die are dropped by the pool's own
 * listener, and a client that loses its connection while checked out gets a listener too (pg emits
 * 'error' on it, which would otherwise crash the process); the query in flight reports the failure.
 */
export const createPool = (options: PoolOptions): { pool: pg.Pool; dialect: PostgresDialect } => {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 4,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    ...(options.settings && {
      options: Object.entries(options.settings)
        .map(([name, value]) => `-c ${name}=${value}`)
        .join(' '),
    }),
  });
  pool.on('error', () => {});
  const guarded: PostgresPool = {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      const swallow = () => {};
      client.on('error', swallow);
      return {
        query: client.query.bind(client) as PostgresPoolClient['query'],
        release: () => {
          client.off('error', swallow);
          client.release();
        },
      };
    },
    end: () => pool.end(),
  };
  return { pool, dialect: new PostgresDialect({ pool: guarded }) };
};
