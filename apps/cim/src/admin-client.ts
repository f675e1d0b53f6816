import { type AdminReply, gatherFleetStatus, type ProjectorStatus, requestAdmin } from '@cim/projection-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Env } from './env.js';
import { CliError } from './errors.js';

/** Sends one admin request; no answer, or an error reply, becomes a one-line CliError. */
export async function adminRequest<T>(
  nc: NatsConnection,
  env: Env,
  projector: string,
  verb: string,
  body: Record<string, unknown> = {},
): Promise<T> {
  let reply: AdminReply<T>;
  try {
    reply = await requestAdmin<T>(nc, projector, verb, body, {
      prefix: env.ADMIN_PREFIX,
      timeoutMs: env.CIM_TIMEOUT_MS,
    });
  } catch (e) {
    const known = await gatherFleetStatus(nc, { prefix: env.ADMIN_PREFIX, windowMs: 500 }).catch(() => []);
    const names = known.map((s) => s.name).join(', ') || 'none';
    throw new CliError(
      'UNAVAILABLE',
      `no projector named '${projector}' answers on ${env.ADMIN_PREFIX} (running: ${names}); start it, e.g. with \`cim up\``,
      { cause: e },
    );
  }
  if (!reply.ok) {
    const code =
      reply.error.code === 'UNKNOWN_VERB' || reply.error.code === 'INVALID_REQUEST'
        ? 'INVALID_INPUT'
        : 'REJECTED';
    throw new CliError(code, `${projector}: ${reply.error.message}`, { details: reply });
  }
  return reply.result;
}

/** Every running projector's status, gathered for a short window. */
export const fleetStatus = (nc: NatsConnection, env: Env, windowMs = 700): Promise<ProjectorStatus[]> =>
  gatherFleetStatus(nc, { prefix: env.ADMIN_PREFIX, windowMs });
