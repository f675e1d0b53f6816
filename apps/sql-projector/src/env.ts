import { parseEnv, projectorEnvSchema } from '@cim/projection-kit';
import { z } from 'zod';
import { DEFAULT_SQL_QUERY_PREFIX } from './report-responder.js';

/** An empty variable counts as unset (`DATABASE_URL=` in a compose file). */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/**
 * Environment of the SQL projector: the kit's variables plus where the read model lives.
 * - `DATABASE_URL`: PostgreSQL connection string; unset means embedded PGlite in `PGLITE_DIR`.
 * - `PGLITE_DIR`: data directory of the embedded database. Default `.data/sql-projector`.
 * - `DB_SCHEMA`: schema of the live model (the shadow is `${DB_SCHEMA}_shadow`). Default `cim`.
 * - `DB_POOL_SIZE`: PostgreSQL connections. Default 4.
 * - `METRICS_PORT`: /metrics, /healthz, /readyz. Default 9471.
 * - `MAX_BATCH`: the kit's, `DEFAULT_MAX_BATCH` (3000; its comment says why). 6,000 replayed 106%
 *   of 2,000's rate but peaked at 286 MB RSS, over the 250 MB target (a batch is held in memory).
 */
export const sqlProjectorEnvSchema = projectorEnvSchema.extend({
  DATABASE_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection string'),
  ),
  PGLITE_DIR: z.string().min(1).default('.data/sql-projector'),
  DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,47}$/, 'must be a lower-case SQL identifier of at most 48 characters')
    .default('cim'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(4),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9471),
  /** Subject prefix of the report queries this process answers (`cim report`). */
  SQL_QUERY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be NATS subject tokens without wildcards')
    .default(DEFAULT_SQL_QUERY_PREFIX),
});

export type SqlProjectorEnv = z.output<typeof sqlProjectorEnvSchema>;

/** Parses the environment once at start; throws the kit's EnvError naming every bad variable. */
export const parseSqlProjectorEnv = (env: Record<string, string | undefined>): SqlProjectorEnv =>
  parseEnv(sqlProjectorEnvSchema, env);
