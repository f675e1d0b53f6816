import pg from 'pg';

/**
 * True when a PostgreSQL server answers at `url`; otherwise why not, for the fleet listing. The
 * message names the server by `label` (e.g. `DATABASE_URL`), never by a URL that may hold a password.
 */
export const probePostgres = async (
  url: string,
  label: string,
  timeoutMs = 2_000,
): Promise<true | string> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {}); // a server going away after the probe must not crash `cim up`
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    return `no PostgreSQL answers at ${label} (${(error as Error).message}); set DATABASE_URL`;
  } finally {
    await client.end().catch(() => {});
  }
};
