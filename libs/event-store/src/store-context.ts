import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { EventStoreLogger } from './logger.js';

/** What the store's operations share: the connection, JetStream handles and where the events live. */
export interface StoreContext {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly stream: string;
  readonly subjectRoot: string;
  readonly logger: EventStoreLogger;
}
