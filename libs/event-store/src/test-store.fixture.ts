// Test fixtures of this package (excluded from the build): a connection and an isolated store.
import { uniqueName, uniqueStreamName } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { EVENT_STORE_CONNECTION_DEFAULTS } from './connection.js';
import { EventStore, type EventStoreOptions } from './event-store.js';

/** A unique stream name and subject root for one test file (or one test). */
export const isolation = (label: string) => ({
  name: uniqueStreamName(`t_${label}`),
  subjectRoot: uniqueName(`t_${label}`),
});

/** A connection made the way the store recommends. */
export const connectTo = (url: string): Promise<NatsConnection> =>
  connect({ servers: url, ...EVENT_STORE_CONNECTION_DEFAULTS, name: 'event-store-tests' });

/** Opens a store on a fresh stream and root; `dispose` deletes the stream and closes the store. */
export async function openIsolatedStore(nc: NatsConnection, label: string, options: EventStoreOptions = {}) {
  const stream = { ...isolation(label), ...options.stream };
  const store = await EventStore.open(nc, { ...options, stream });
  return {
    store,
    stream,
    dispose: async () => {
      await store.close();
      await (await jetstreamManager(nc)).streams.delete(stream.name).catch(() => false);
    },
  };
}
