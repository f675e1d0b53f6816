import { maxBatchSetting, projectorEnvSchema } from '@cim/projection-kit';
import { z } from 'zod';
import { DEFAULT_QUERY_PREFIX } from './query-protocol.js';

/** The local PostgreSQL every developer and CI machine runs; the model lives in schema `space`. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Environment of the conceptual-space projector: the kit's variables plus its store and queries. */
export const spaceEnvSchema = projectorEnvSchema.extend({
  DATABASE_URL: z.string().default(DEFAULT_DATABASE_URL),
  /** Schema of the live model (a blue/green rebuild uses `${DB_SCHEMA}_shadow`). */
  DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,40}$/, 'must be a lower-case SQL identifier of at most 41 characters')
    .default('space'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9475),
  /**
   * Events per transaction while catching up. @default 8000, not the kit's 3,000: a replay writes
   * one row per resource measured in a batch, so larger batches fold more measurements into one
   * write; with the app's `--heap-growing-percent=200` (V8 otherwise let the old generation grow to
   * ~3.4 times what survived) they fit the 250 MB target. 1M rebuilds, interleaved, 3 runs each:
   * 120% of 3,000's rate at 210–217 vs 220–225 MB peak RSS; 6,000 103%; 10,000 like 8,000 at
   * +10 MB (its README, Speed).
   */
  MAX_BATCH: maxBatchSetting(8000),
  SPACE_QUERY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be NATS subject tokens without wildcards')
    .default(DEFAULT_QUERY_PREFIX),
  /** Optional JSON file overriding domains, weights, concepts and thresholds (see `SpaceConfigInput`). */
  SPACE_CONFIG_FILE: z.string().optional(),
  /** How long a query view is reused before the checkpoint is checked again, in ms. */
  QUERY_REFRESH_MS: z.coerce.number().int().min(0).default(1_000),
});
export type SpaceEnv = z.output<typeof spaceEnvSchema>;
