import type { NatsConnection } from '@nats-io/transport-node';
import { SpaceError } from './errors.js';
import {
  DEFAULT_QUERY_PREFIX,
  type QueryKind,
  type QueryReply,
  type QueryRequest,
  querySubject,
} from './query-protocol.js';

export interface QueryClientOptions {
  /** @default DEFAULT_QUERY_PREFIX */
  prefix?: string;
  /** @default 10_000 (the first query after a restart builds the view) */
  timeoutMs?: number;
}

const encoder = new TextEncoder();

/**
 * Sends one space query and returns its reply (success or a typed error). Throws only when no
 * projector answers (NATS "no responders" or timeout), naming the subject.
 */
export const querySpace = async <K extends QueryKind>(
  nc: NatsConnection,
  kind: K,
  body: QueryRequest<K> = {} as QueryRequest<K>,
  options: QueryClientOptions = {},
): Promise<QueryReply<K>> => {
  const subject = querySubject(kind, options.prefix ?? DEFAULT_QUERY_PREFIX);
  try {
    const reply = await nc.request(subject, encoder.encode(JSON.stringify(body)), {
      timeout: options.timeoutMs ?? 10_000,
    });
    return reply.json<QueryReply<K>>();
  } catch (e) {
    throw new SpaceError(
      'NO_RESPONDER',
      `no conceptual-space projector answered ${subject}: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
};
