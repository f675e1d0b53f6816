import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { isTestSupportError } from './errors.js';
import { createTestDatabase, DEFAULT_DATABASE_URL, reachPostgres } from './postgres.js';
import { dockerEngineReachable } from './reach-service.js';

const adminUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const databaseExists = async (name: string) =>
  (await query(adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).length === 1;

describe('createTestDatabase', () => {
  const databases: Array<{ drop(): Promise<void> }> = [];
  afterAll(() => Promise.all(databases.map((db) => db.drop())));

  it('creates a fresh usable database and drops it, even with a session still open', async () => {
    const db = await createTestDatabase('ts_probe');
    databases.push(db);
    expect(db.name).toMatch(/^ts_probe_[a-z0-9]+$/);
    expect(await databaseExists(db.name)).toBe(true);

    const client = new Client({ connectionString: db.url });
    client.on('error', () => {}); // the forced drop ends this session
    await client.connect();
    expect((await client.query('SELECT current_database() AS name')).rows[0]?.name).toBe(db.name);
    await client.query('CREATE TABLE t (id int PRIMARY KEY, v text)');
    await client.query("INSERT INTO t VALUES (1, 'one')");
    expect((await client.query('SELECT v FROM t')).rows).toEqual([{ v: 'one' }]);

    await db.drop();
    expect(await databaseExists(db.name)).toBe(false);
    await db.drop(); // a second drop is harmless
    await client.end().catch(() => {});
  });

  it('gives every call its own database', async () => {
    const [a, b] = await Promise.all([createTestDatabase('ts_iso'), createTestDatabase('ts_iso')]);
    databases.push(a, b);
    expect(a.name).not.toBe(b.name);
    await query(a.url, 'CREATE TABLE only_in_a (id int)');
    const inB = await query(b.url, "SELECT 1 FROM pg_tables WHERE tablename = 'only_in_a'");
    expect(inB).toEqual([]);
  });
});

describe('reachPostgres', () => {
  it('reports the server version', async () => {
    const pg = await reachPostgres(adminUrl);
    expect(pg.version).toMatch(/^\d+/);
    expect(Number.parseInt(pg.version, 10)).toBeGreaterThanOrEqual(13);
  });

  it('fails loudly, naming the URL and how to start PostgreSQL, when nothing answers and no Docker runs', async () => {
    const url = 'postgres://postgres:secret@127.0.0.1:1/postgres';
    if (await dockerEngineReachable()) {
      await expect(reachPostgres(url)).resolves.toMatchObject({ version: expect.any(String) });
      return;
    }
    const error = await reachPostgres(url).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTestSupportError(error) && error.code).toBe('SERVICE_UNREACHABLE');
    const message = String((error as Error).message);
    expect(message).toContain('127.0.0.1:1');
    expect(message).not.toContain('secret');
    expect(message).toContain('pg_ctlcluster --skip-systemctl-redirect');
  });
});
