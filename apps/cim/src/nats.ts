import { EVENT_STORE_CONNECTION_DEFAULTS, EventStore, isEventStoreError } from '@cim/event-store';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Env } from './env.js';
import { CliError } from './errors.js';

/** Connects to NATS once, without reconnecting; an unreachable server is a one-line `UNAVAILABLE` error. */
export async function connectNats(url: string): Promise<NatsConnection> {
  try {
    return await connect({
      servers: url,
      name: 'cim',
      reconnect: false,
      timeout: 3_000,
      ...EVENT_STORE_CONNECTION_DEFAULTS,
    });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new CliError(
      'UNAVAILABLE',
      `cannot reach NATS at ${url} (${reason}); is nats-server running? (set NATS_URL)`,
      {
        cause: e,
      },
    );
  }
}

/** Runs `fn` with a connection and always closes it. */
export async function withNats<T>(env: Env, fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connectNats(env.NATS_URL);
  try {
    return await fn(nc);
  } finally {
    if (!nc.isClosed()) await nc.close();
  }
}

/**
 * Opens the event stream on `nc`. Readers (`create: false`) need it to exist; a missing stream is an
 * `UNAVAILABLE` error that says how it gets created.
 */
export async function openStore(nc: NatsConnection, env: Env, create: boolean): Promise<EventStore> {
  try {
    return await EventStore.open(nc, {
      stream: { name: env.EVENT_STREAM, subjectRoot: env.SUBJECT_ROOT },
      ensureStream: create,
    });
  } catch (e) {
    if (isEventStoreError(e) && e.code === 'STREAM_NOT_FOUND') {
      throw new CliError(
        'UNAVAILABLE',
        `event stream ${env.EVENT_STREAM} does not exist yet; \`cim serve\` or \`cim seed\` creates it (set EVENT_STREAM)`,
        { cause: e },
      );
    }
    throw new CliError(
      'UNAVAILABLE',
      `cannot open event stream ${env.EVENT_STREAM}: ${(e as Error).message}`,
      { cause: e },
    );
  }
}
