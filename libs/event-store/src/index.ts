// Public API of @cim/event-store: the JetStream event store the command service, the CLI and the
// projection kit stand on.
export type { AppendOptions, AppendResult } from './append-event.js';
export {
  type AppendManyOptions,
  type AppendManyResult,
  type AppendProgress,
  DEFAULT_ACK_TIMEOUT_MS,
  DEFAULT_APPEND_IN_FLIGHT,
  DEFAULT_PROGRESS_EVERY,
} from './append-many.js';
export { DEFAULT_CONNECTION_NAME, EVENT_STORE_CONNECTION_DEFAULTS } from './connection.js';
export { type EnsureStreamResult, ensureStream } from './ensure-stream.js';
export { EventStoreError, type EventStoreErrorCode, isEventStoreError } from './errors.js';
export { eventHeaders } from './event-headers.js';
export { type ConnectEventStoreOptions, EventStore, type EventStoreOptions } from './event-store.js';
export {
  DEFAULT_SUBSCRIBE_BATCH_SIZE,
  type EventSubscription,
  type SubscribeOptions,
} from './live-subscription.js';
export { type EventStoreLogger, silentLogger } from './logger.js';
export type { AggregateHistory, ReadAggregateOptions } from './read-aggregate.js';
export { DEFAULT_READ_BATCH_SIZE, type ReadOptions } from './read-events.js';
export { decodeStoredEvent, type EventHeaders, type StoredEvent } from './stored-event.js';
export { type ManagedStreamConfig, type StreamConfigChange, streamConfigFor } from './stream-config.js';
export {
  DEFAULT_DUPLICATE_WINDOW_MS,
  DEFAULT_REPLICAS,
  DEFAULT_STREAM_NAME,
  DEFAULT_STREAM_SETTINGS,
  resolveStreamSettings,
  type StreamSettings,
} from './stream-settings.js';
export { subjectMatches } from './subject-filter.js';
