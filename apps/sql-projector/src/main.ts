/**
 * The SQL projector process: wiring only. Configuration comes from the environment (see env.ts);
 * the kit runs NATS consumption, admin subjects, /metrics, /healthz, /readyz and SIGTERM handling.
 */
import { runProjector } from '@cim/projection-kit';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { openDatabase } from './database.js';
import { parseSqlProjectorEnv, type SqlProjectorEnv } from './env.js';
import { createSqlProjectorMetrics } from './metrics.js';
import { readModelOf } from './read-model.js';
import { serveReports } from './report-responder.js';
import { DEFAULT_PROJECTOR_NAME, SqlProjectionAdapter } from './sql-adapter.js';

let env: SqlProjectorEnv;
try {
  env = parseSqlProjectorEnv(process.env);
} catch (e) {
  process.stderr.write(`sql-projector: ${(e as Error).message}\n`);
  process.exit(2);
}
const logger = pino({ level: env.LOG_LEVEL }).child({ projector: DEFAULT_PROJECTOR_NAME });

try {
  const registry = new Registry();
  const database = await openDatabase(
    env.DATABASE_URL
      ? {
          url: env.DATABASE_URL,
          poolSize: env.DB_POOL_SIZE,
          onConnectionError: (err) => logger.warn({ err }, 'PostgreSQL connection lost'),
        }
      : { pglite: env.PGLITE_DIR },
  );
  logger.info(
    {
      store: database.kind,
      schema: env.DB_SCHEMA,
      ...(database.kind === 'pglite' && { dir: env.PGLITE_DIR }),
    },
    'read model store opened',
  );
  const adapter = new SqlProjectionAdapter({
    database,
    schema: env.DB_SCHEMA,
    metrics: createSqlProjectorMetrics(registry),
    logger,
  });
  const running = await runProjector({ adapter, env, registry, logger, handleSignals: true });
  serveReports(running.nc, readModelOf(database, { schema: env.DB_SCHEMA }), {
    prefix: env.SQL_QUERY_PREFIX,
    logger,
  });
} catch (e) {
  logger.fatal({ err: e }, 'sql projector failed to start');
  process.exit(1);
}
