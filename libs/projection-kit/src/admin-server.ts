import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import {
  ADMIN_VERBS,
  type AdminReply,
  DEFAULT_ADMIN_PREFIX,
  fleetStatusSubject,
  isAdminVerb,
  type ProgressNotice,
  progressSubject,
  projectorAdminSubject,
} from './admin-subjects.js';
import { isProjectionError } from './errors.js';
import { type Logger, silentLogger } from './logger.js';
import type { Projector } from './projector.js';

const decoder = new TextDecoder();

const parseBody = (data: Uint8Array): Record<string, unknown> => {
  const text = decoder.decode(data).trim();
  if (text === '') return {};
  const body: unknown = JSON.parse(text);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new Error('request body must be a JSON object');
  return body as Record<string, unknown>;
};

/**
 * Answers `cim.admin.projector.{name}.{verb}` and the fleet-wide status subject for one projector.
 * Unknown verbs and malformed bodies get an error reply; nothing here can crash the projector.
 */
export const serveAdmin = (
  nc: NatsConnection,
  projector: Projector,
  options: { prefix?: string; logger?: Logger } = {},
): { stop(): void } => {
  const prefix = options.prefix ?? DEFAULT_ADMIN_PREFIX;
  const log = options.logger ?? silentLogger;
  const own = projectorAdminSubject(projector.name, '', prefix);
  const reply = (m: { respond(data: string): boolean }, body: AdminReply) => m.respond(JSON.stringify(body));

  const handle = async (verb: string, data: Uint8Array): Promise<AdminReply> => {
    if (!isAdminVerb(verb)) {
      return {
        ok: false,
        projector: projector.name,
        error: {
          code: 'UNKNOWN_VERB',
          message: `unknown admin verb '${verb}' (known: ${ADMIN_VERBS.join(', ')})`,
        },
      };
    }
    let body: Record<string, unknown>;
    try {
      body = parseBody(data);
    } catch (e) {
      return {
        ok: false,
        projector: projector.name,
        error: { code: 'INVALID_REQUEST', message: (e as Error).message },
      };
    }
    const result = await run(verb, body);
    return { ok: true, projector: projector.name, result };
  };

  const run = (verb: (typeof ADMIN_VERBS)[number], body: Record<string, unknown>): Promise<unknown> => {
    switch (verb) {
      case 'status':
        return projector.status();
      case 'pause':
        return projector.pause();
      case 'resume':
        return projector.resume();
      case 'rebuild':
        return projector.rebuild(typeof body.shadow === 'boolean' ? { shadow: body.shadow } : {});
      case 'dlq.list':
        return projector.dlq.list(projector.name);
      case 'dlq.replay':
        return projector.replayDeadLetters();
    }
  };

  const subs: Subscription[] = [
    nc.subscribe(`${own}>`, {
      callback: (err, m) => {
        if (err) return;
        const verb = m.subject.slice(own.length);
        handle(verb, m.data)
          .catch((e: unknown) => ({
            ok: false as const,
            projector: projector.name,
            error: {
              code: isProjectionError(e) ? e.code : 'FAILED',
              message: (e as Error).message ?? String(e),
            },
          }))
          .then((r) => {
            log.info({ verb, ok: r.ok }, 'admin request');
            reply(m, r);
          });
      },
    }),
    nc.subscribe(fleetStatusSubject(prefix), {
      callback: (err, m) => {
        if (err) return;
        projector
          .status()
          .then((status) => reply(m, { ok: true, projector: projector.name, result: status }))
          .catch((e: unknown) =>
            reply(m, { ok: false, projector: projector.name, error: { code: 'FAILED', message: String(e) } }),
          );
      },
    }),
  ];
  // Progress notices let tools follow commits (live status, latency benchmarks) without polling.
  const progress = progressSubject(projector.name, prefix);
  const stopProgress = projector.onCommit((checkpoint) => {
    if (!nc.isClosed())
      nc.publish(progress, JSON.stringify({ checkpoint, at: Date.now() } satisfies ProgressNotice));
  });
  return {
    stop: () => {
      stopProgress();
      for (const s of subs) s.unsubscribe();
    },
  };
};
