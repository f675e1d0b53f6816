import pg from 'pg';

/** The connection string without its password, for messages. */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable connection string)';
  }
};

/** True when a PostgreSQL server answers at `url`; otherwise why not, for the fleet listing. */
export const probePostgres = async (url: string, timeoutMs = 2_000): Promise<true | string> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {}); // a server going away after the probe must not crash `cim up`
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    return `no PostgreSQL answers at ${redactUrl(url)} (${(error as Error).message}); set DATABASE_URL`;
  } finally {
    await client.end().catch(() => {});
  }
};
