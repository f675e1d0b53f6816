import type { NatsConnection } from '@nats-io/nats-core';
import {
  type AdminReply,
  DEFAULT_ADMIN_PREFIX,
  fleetStatusSubject,
  projectorAdminSubject,
} from './admin-subjects.js';
import type { ProjectorStatus } from './status.js';

/** Sends one admin request to a projector and returns its reply; rejects when none answers in time. */
export const requestAdmin = async <T = unknown>(
  nc: NatsConnection,
  projector: string,
  verb: string,
  body: Record<string, unknown> = {},
  options: { prefix?: string; timeoutMs?: number } = {},
): Promise<AdminReply<T>> => {
  const m = await nc.request(projectorAdminSubject(projector, verb, options.prefix), JSON.stringify(body), {
    timeout: options.timeoutMs ?? 5_000,
  });
  return m.json<AdminReply<T>>();
};

/** Gathers the status every running projector reports within `windowMs`, sorted by name. */
export const gatherFleetStatus = async (
  nc: NatsConnection,
  options: { prefix?: string; windowMs?: number } = {},
): Promise<ProjectorStatus[]> => {
  const replies = await nc.requestMany(fleetStatusSubject(options.prefix ?? DEFAULT_ADMIN_PREFIX), '', {
    maxWait: options.windowMs ?? 500,
  });
  const statuses: ProjectorStatus[] = [];
  for await (const m of replies) {
    const reply = m.json<AdminReply<ProjectorStatus>>();
    if (reply.ok) statuses.push(reply.result);
  }
  return statuses.sort((a, b) => a.name.localeCompare(b.name));
};
