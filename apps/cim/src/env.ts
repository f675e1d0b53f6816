import { DEFAULT_COMMAND_PREFIX, DEFAULT_SUBJECT_ROOT } from '@cim/contract';
import { z } from 'zod';
import { CliError } from './errors.js';

const subjectTokens = z
  .string()
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'dot-separated subject tokens, no wildcards');

/** The environment of the CLI; the same variables as the command service, so both agree. */
export const EnvSchema = z.object({
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  EVENT_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'a JetStream stream name: letters, digits, _ and -')
    .default('INFRASTRUCTURE_EVENTS'),
  SUBJECT_ROOT: subjectTokens.default(DEFAULT_SUBJECT_ROOT),
  COMMAND_PREFIX: subjectTokens.default(DEFAULT_COMMAND_PREFIX),
  /** Subject prefix of projector admin requests (`{prefix}.projector.{name}.{verb}`). */
  ADMIN_PREFIX: subjectTokens.default('cim.admin'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The SQL and conceptual-space read models, read directly when no projector answers a query. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
    .optional(),
  /** The embedded SQL read model when DATABASE_URL is unset. */
  PGLITE_DIR: z.string().min(1).default('.data/sql-projector'),
  SQL_QUERY_PREFIX: subjectTokens.default('cim.query.sql'),
  SPACE_QUERY_PREFIX: subjectTokens.default('cim.query.space'),
  /** How long to wait for the command service's reply. */
  CIM_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});
export type Env = z.infer<typeof EnvSchema>;

/** Parses the environment once; a bad variable is an `INVALID_INPUT` error naming it. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const defined = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(defined);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new CliError('INVALID_INPUT', `invalid environment: ${problems}`);
}
