import type { Logger } from '@cim/projection-kit';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { ReadModel } from './read-model.js';
import { type ReportParams, runReport } from './reports.js';
import { topologyMermaid } from './topology.js';

/** @default 'cim.query.sql' */
export const DEFAULT_SQL_QUERY_PREFIX = 'cim.query.sql';

type Reply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

/**
 * Answers `{prefix}.report` (`{ name, params }`) and `{prefix}.topology` (`{ site? }`) from the live
 * read model. The running projector owns its database, which an embedded PGlite store cannot share
 * with another process, so `cim report` asks here first.
 */
export const serveReports = (
  nc: NatsConnection,
  model: ReadModel,
  options: { prefix?: string; logger?: Logger } = {},
): { stop(): void } => {
  const prefix = options.prefix ?? DEFAULT_SQL_QUERY_PREFIX;
  const answer = (subject: string, run: (body: Record<string, unknown>) => Promise<unknown>): Subscription =>
    nc.subscribe(subject, {
      callback: (_err, m) => {
        let body: Record<string, unknown>;
        try {
          body = m.data.length ? (m.json() as Record<string, unknown>) : {};
        } catch {
          m.respond(
            JSON.stringify({ ok: false, error: { code: 'INVALID_REQUEST', message: 'body must be JSON' } }),
          );
          return;
        }
        run(body)
          .then((result): Reply => ({ ok: true, result }))
          .catch((e: unknown): Reply => {
            options.logger?.warn({ err: e, subject }, 'report query failed');
            const code = (e as { code?: string }).code ?? 'FAILED';
            return { ok: false, error: { code, message: (e as Error).message } };
          })
          .then((reply) => m.respond(JSON.stringify(reply)));
      },
    });
  const subs = [
    answer(`${prefix}.report`, (b) =>
      runReport(model, String(b.name ?? ''), (b.params ?? {}) as ReportParams),
    ),
    answer(`${prefix}.topology`, (b) =>
      topologyMermaid(model, typeof b.site === 'string' ? { site: b.site } : {}),
    ),
  ];
  return {
    stop: () => {
      for (const s of subs) s.unsubscribe();
    },
  };
};
