import { maxBatchSetting, parseEnv, projectorEnvSchema } from '@cim/projection-kit';
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
 * - `MAX_BATCH`: events per transaction while catching up. Default 10000 (below: why not the kit's).
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
  /**
   * Events per transaction while catching up. @default 10000, over three times the kit's: most of
   * a replay's events are measurements of far fewer resources, so a larger batch writes each
   * resource's latest measurement once for more events (PostgreSQL 24.5–25.2 vs 28.3–29.3 CPU s
   * at 1M, 6,000 against 3,000). What made 6,000 too big before was V8 letting the old generation
   * grow to three times what survives (28 → 95 MB between mark-compacts); the app's
   * `--heap-growing-percent=100` keeps it at about twice. 1M rebuilds, interleaved, 3 runs: 6,000
   * against 3,000 without the flag 109% and 107% (2 runs each), peak RSS 191–199 vs 221–229 MB;
   * with the audit and patches as binary COPY (off V8's heap), 10,000 against 6,000 104% and
   * 106% at 220–231 vs 182–190 MB; 12,000 105% at 233–238 MB.
   */
  MAX_BATCH: maxBatchSetting(10_000),
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
