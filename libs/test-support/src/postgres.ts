import { Client } from 'pg';
import { reachService, redactUrl } from './reach-service.js';
import { uniqueName } from './unique-name.js';

/** The PostgreSQL server every developer and CI machine runs, with trust auth for `postgres`. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The command that starts the machine's PostgreSQL cluster when it is not running. */
export const POSTGRES_START_COMMAND =
  'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

/** A PostgreSQL server that answered. */
export interface ReachedPostgres {
  /** URL of a database on it the user may create databases from. */
  url: string;
  /** `server_version`, e.g. `15.19 (Debian 15.19-0+deb12u1)`. */
  version: string;
}

/** A database made for one test file by {@link createTestDatabase}. */
export interface TestDatabase {
  /** Connection string of the new database. */
  url: string;
  /** Its name, a {@link uniqueName} of the prefix. */
  name: string;
  /** Drops it `WITH (FORCE)` once sessions closing on their own are gone (≤ 1 s), ending the rest. Safe to call twice. */
  drop(): Promise<void>;
}

/**
 * Connects to `url` and reads the server version. If nothing answers there and a Docker engine does,
 * starts `postgres:16-alpine` with trust auth via testcontainers instead (removed when the process
 * ends); otherwise throws a `TestSupportError` (`SERVICE_UNREACHABLE`) naming the URL and
 * {@link POSTGRES_START_COMMAND}.
 */
export async function reachPostgres(url: string): Promise<ReachedPostgres> {
  const reached = await reachService({
    service: 'PostgreSQL',
    url,
    probe: probePostgres,
    startContainer: startPostgresContainer,
    howToStart: `Start it with \`${POSTGRES_START_COMMAND}\`, or set DATABASE_URL to a PostgreSQL 13+ server.`,
  });
  return { url: reached.url, version: reached.value };
}

let server: Promise<ReachedPostgres> | undefined;

/**
 * Creates a fresh, uniquely named database for one test file on the server at env `DATABASE_URL`,
 * else {@link DEFAULT_DATABASE_URL} (reached once per process with {@link reachPostgres}). Call
 * `drop()` in `afterAll`; dropping uses `WITH (FORCE)`, so the server must be PostgreSQL 13 or newer.
 *
 * @param prefix start of the database name, e.g. the package under test. Default `test`.
 */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  server ??= reachPostgres(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
  const admin = (await server).url;
  const name = uniqueName(prefix);
  await withClient(admin, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const url = new URL(admin);
  url.pathname = `/${encodeURIComponent(name)}`;
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    name,
    drop: () => {
      dropped ??= withClient(admin, async (client) => {
        await sessionsGone(client, name, DROP_GRACE_MS);
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      });
      return dropped;
    },
  };
}

/**
 * How long a drop waits for sessions to close on their own before forcing them. pg's `Pool.end()`
 * resolves before its clients' connections have closed; forcing those would hand each a FATAL
 * error (57P01) that nothing listens for any more, an uncaught exception in the test run.
 */
const DROP_GRACE_MS = 1_000;

async function sessionsGone(client: Client, database: string, graceMs: number): Promise<void> {
  const until = Date.now() + graceMs;
  for (;;) {
    const { rows } = await client.query<{ open: number }>(
      'SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    if ((rows[0]?.open ?? 0) === 0 || Date.now() >= until) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function probePostgres(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]?.server_version ?? 'unknown';
  });
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  // An error after connect (e.g. the server shutting down) must not crash the test process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    if (error instanceof Error) error.message = `${error.message} (connecting to ${redactUrl(url)})`;
    throw error;
  }
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function startPostgresContainer(): Promise<string> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('postgres:16-alpine')
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
    .withExposedPorts(5432)
    // The image's init runs a temporary server first; the second "ready" is the real one.
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  return `postgres://postgres@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
