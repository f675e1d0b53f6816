import { mkdir } from 'node:fs/promises';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockPgliteDir } from './pglite-lock.js';
import type { Database } from './schema.js';

/** Where the read model lives: a PostgreSQL server, or embedded PGlite in a directory. */
export type DatabaseTarget =
  | {
      url: string;
      /** Connections in the pool. @default 4 */
      poolSize?: number;
      /** Called when a pooled connection fails, idle or checked out (the next query reports it too). */
      onConnectionError?: (error: Error) => void;
    }
  | {
      /** Data directory, or `memory://` for a throwaway in-memory database. */
      pglite: string;
    };

/** An open kysely database and how to close it. */
export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly kind: 'postgres' | 'pglite';
  /** The pool behind `db` on a PostgreSQL server (batched transactions use its connections). */
  readonly pool?: pg.Pool;
  close(): Promise<void>;
}

/** Fail fast while PostgreSQL is down, so the kit sees the outage and backs off. @default 5000 */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Opens the same kysely `Database` over a pg Pool or over PGlite; migrations, projection and
 * reports run unchanged on both. PGlite is one in-process connection (queries queue), and only one
 * process may open a data directory at a time (enforced with a lock file: `STORE_LOCKED`).
 */
export const openDatabase = async (target: DatabaseTarget): Promise<OpenDatabase> => {
  if ('url' in target) {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 4,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    // Without listeners a connection dropped by the server would crash the process: pg-pool only
    // listens on idle clients, and a client checked out between two statements emits 'error' too.
    const report = (error: Error) => target.onConnectionError?.(error);
    pool.on('error', report);
    pool.on('connect', (client) => client.on('error', report));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', pool, close: () => db.destroy() };
  }
  const inMemory = target.pglite.includes('://');
  if (!inMemory) await mkdir(target.pglite, { recursive: true });
  const unlock = inMemory ? async () => {} : await lockPgliteDir(target.pglite);
  // Loaded on demand: the WASM build costs memory a server-backed projector does not need.
  const [{ PGlite }, { PGliteDialect }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('kysely-pglite-dialect'),
  ]);
  try {
    const pglite = await PGlite.create(target.pglite);
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    return { db, kind: 'pglite', close: () => db.destroy().finally(unlock) };
  } catch (error) {
    await unlock();
    throw error;
  }
};
