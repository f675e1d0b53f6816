import type { Logger } from '@cim/projection-kit';
import { silentLogger } from '@cim/projection-kit';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { answerQuery } from './query-answers.js';
import { DEFAULT_QUERY_PREFIX, isQueryKind, QUERY_KINDS, queryError } from './query-protocol.js';
import type { SpaceView } from './space-view.js';

export interface QueryServerOptions {
  /** @default DEFAULT_QUERY_PREFIX ('cim.query.space') */
  prefix?: string;
  /** Queue group, so several instances share the load. @default 'conceptual-space' */
  queue?: string;
  logger?: Logger;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Parses a request body; an empty body is `{}` so `concepts` and `anomalies` need none. */
const parseBody = (data: Uint8Array): { ok: true; body: unknown } | { ok: false; message: string } => {
  const text = decoder.decode(data).trim();
  if (text === '') return { ok: true, body: {} };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: `request body is not JSON: ${(e as Error).message}` };
  }
};

/**
 * Answers `{prefix}.similar|classify|anomalies|concepts` requests from the views `source` provides.
 * Replies are JSON: `{ok: true, checkpoint, ...}` or `{ok: false, error: {code, message}}`.
 */
export const serveSpaceQueries = (
  nc: NatsConnection,
  source: { view(): Promise<SpaceView> },
  options: QueryServerOptions = {},
): { subscription: Subscription; stop(): void } => {
  const prefix = options.prefix ?? DEFAULT_QUERY_PREFIX;
  const log = options.logger ?? silentLogger;
  const respond = (m: Msg, reply: unknown) => {
    if (m.reply) m.respond(encoder.encode(JSON.stringify(reply)));
  };
  const handle = async (m: Msg) => {
    const kind = m.subject.slice(prefix.length + 1);
    if (!isQueryKind(kind))
      return respond(
        m,
        queryError('UNKNOWN_QUERY', `unknown query '${kind}' (known: ${QUERY_KINDS.join(', ')})`),
      );
    const body = parseBody(m.data);
    if (!body.ok) return respond(m, queryError('INVALID_REQUEST', `${kind}: ${body.message}`));
    let view: SpaceView;
    try {
      view = await source.view();
    } catch (e) {
      log.warn({ err: e, kind }, 'space query failed to read the store');
      return respond(
        m,
        queryError('UNAVAILABLE', `the conceptual space cannot be read right now: ${(e as Error).message}`),
      );
    }
    respond(m, answerQuery(view, kind, body.body));
  };
  const subscription = nc.subscribe(`${prefix}.*`, {
    queue: options.queue ?? 'conceptual-space',
    callback: (err, m) => {
      if (err) {
        log.warn({ err }, 'space query subscription error');
        return;
      }
      handle(m).catch((e: unknown) => log.error({ err: e, subject: m.subject }, 'space query failed'));
    },
  });
  return { subscription, stop: () => subscription.unsubscribe() };
};
