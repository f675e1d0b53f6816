import { z } from 'zod';

/**
 * Events per unit of work while catching up (a live batch is whatever is pending), for a projector
 * that does not set its own with {@link maxBatchSetting}. A store that writes an entity's latest
 * state once per batch folds more events into one write with larger batches, at the price of the
 * batch held in memory: 1M-event rebuilds against 2,000 (2026-12-02), SQL 3,000 108%, the
 * conceptual space 2,500–4,000 112–118%, at +5 to +39 MB RSS. The apps measured set their own
 * (metrics 500, SQL 6,000, conceptual space 8,000: their env.ts say why).
 */
export const DEFAULT_MAX_BATCH = 3000;

/** `MAX_BATCH` with an app's own default: a positive integer, named in the error when it is not. */
export const maxBatchSetting = (defaultSize: number) =>
  z.coerce.number().int().positive().default(defaultSize);

/**
 * Environment every projector app understands. Apps extend it with their store's variables and
 * parse `process.env` once at start (`parseEnv`), failing fast with the variable's name.
 */
export const projectorEnvSchema = z.object({
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  EVENT_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a JetStream stream name')
    .default('INFRASTRUCTURE_EVENTS'),
  SUBJECT_ROOT: z
    .string()
    .regex(/^[a-z0-9_-]+$/, 'must be one subject token')
    .default('infrastructure'),
  ADMIN_PREFIX: z.string().default('cim.admin'),
  DLQ_PREFIX: z.string().default('cim.dlq'),
  DLQ_STREAM: z.string().default('CIM_DLQ'),
  /** Port of /metrics, /healthz, /readyz; 0 picks a free one. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535),
  METRICS_HOST: z.string().default('127.0.0.1'),
  MAX_BATCH: maxBatchSetting(DEFAULT_MAX_BATCH),
  HALT_ON_POISON: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type ProjectorEnv = z.output<typeof projectorEnvSchema>;

/** Thrown by {@link parseEnv}; the message names every bad variable. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
}

/** Parses an environment with a schema, throwing one message that names each bad variable. */
export const parseEnv = <S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> => {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(defined);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new EnvError(`invalid configuration:\n  ${problems.join('\n  ')}`);
};
