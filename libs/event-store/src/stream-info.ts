import { JetStreamApiError, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { EventStoreError, messageOf } from './errors.js';

const STREAM_NOT_FOUND = 10059;

/** The JetStream API error code of `e` (e.g. 10071 wrong last sequence), if it is one. */
export const jetStreamApiCode = (e: unknown): number | undefined =>
  e instanceof JetStreamApiError ? e.code : undefined;

/** The stream's info, or undefined when it does not exist. */
export async function findStream(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (e) {
    if (jetStreamApiCode(e) === STREAM_NOT_FOUND) return undefined;
    throw new EventStoreError('STREAM_SETUP_FAILED', `cannot look up stream ${name}: ${messageOf(e)}`, {
      cause: e,
    });
  }
}

/** The stream's info; throws `STREAM_NOT_FOUND` when it does not exist. */
export async function requireStream(jsm: JetStreamManager, name: string): Promise<StreamInfo> {
  const info = await findStream(jsm, name);
  if (!info) {
    throw new EventStoreError(
      'STREAM_NOT_FOUND',
      `stream ${name} does not exist; create it with ensureStream() or open the store with ensureStream: true`,
    );
  }
  return info;
}
