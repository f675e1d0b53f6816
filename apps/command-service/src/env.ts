import { DEFAULT_COMMAND_PREFIX, DEFAULT_SUBJECT_ROOT } from '@cim/contract';
import { z } from 'zod';
import { CommandServiceError } from './errors.js';

const subjectToken = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** The environment of the command service; every variable has a default for a local NATS. */
export const EnvSchema = z.object({
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  EVENT_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'a JetStream stream name: letters, digits, _ and -')
    .default('INFRASTRUCTURE_EVENTS'),
  SUBJECT_ROOT: z
    .string()
    .regex(subjectToken, 'dot-separated subject tokens, no wildcards')
    .default(DEFAULT_SUBJECT_ROOT),
  COMMAND_PREFIX: z
    .string()
    .regex(subjectToken, 'dot-separated subject tokens, no wildcards')
    .default(DEFAULT_COMMAND_PREFIX),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type Env = z.infer<typeof EnvSchema>;

/**
 * Parses the environment once at start. Throws a {@link CommandServiceError} (`INVALID_CONFIG`)
 * naming every bad variable, e.g. `LOG_LEVEL: Invalid option: expected one of ...`.
 */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const defined = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(defined);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new CommandServiceError('INVALID_CONFIG', `invalid environment: ${problems}`);
}
