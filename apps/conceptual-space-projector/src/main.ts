import { parseEnv, runProjector } from '@cim/projection-kit';
import pino from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { spaceEnvSchema } from './env.js';
import { serveSpaceQueries } from './queries.js';
import { DEFAULT_ADAPTER_NAME, SpaceAdapter } from './space-adapter.js';
import { loadSpaceConfig } from './space-config.js';
import { SpaceReader } from './space-reader.js';

// Wiring only: configuration, logger, registry, adapter, the kit's lifecycle, and the query responder.
const env = parseEnv(spaceEnvSchema, process.env);
const logger = pino({ level: env.LOG_LEVEL }).child({ projector: DEFAULT_ADAPTER_NAME });
const registry = new Registry();
collectDefaultMetrics({ register: registry });

const config = await loadSpaceConfig(env.SPACE_CONFIG_FILE);
const adapter = new SpaceAdapter({
  connectionString: env.DATABASE_URL,
  schema: env.DB_SCHEMA,
  config,
  logger,
});
const running = await runProjector({ adapter, env, registry, logger, handleSignals: true });
const reader = new SpaceReader({
  connectionString: env.DATABASE_URL,
  schema: env.DB_SCHEMA,
  projector: adapter.name,
  config,
  refreshMs: env.QUERY_REFRESH_MS,
});
serveSpaceQueries(running.nc, reader, { prefix: env.SPACE_QUERY_PREFIX, logger });
logger.info({ queries: `${env.SPACE_QUERY_PREFIX}.>` }, 'answering conceptual-space queries');
