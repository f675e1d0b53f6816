import type { ConnectionOptions } from '@nats-io/nats-core';

/**
 * Connection options the event store wants from the connection it is given. `noAsyncTraces` stops
 * nats.js from capturing a stack trace at the start of every request (each single append is one), at
 * the price of less context in timeout errors. Spread them into your own options:
 * `connect({ ...EVENT_STORE_CONNECTION_DEFAULTS, servers })`.
 */
export const EVENT_STORE_CONNECTION_DEFAULTS: Readonly<Partial<ConnectionOptions>> = Object.freeze({
  noAsyncTraces: true,
});

/** Default client name of connections made by `EventStore.connect`. */
export const DEFAULT_CONNECTION_NAME = 'cim-event-store';
