/** Codes of the errors the event store throws. Expected outcomes (version conflicts) are results, not errors. */
export type EventStoreErrorCode =
  /** The options passed in are invalid (bad subject root, stream name, sequence or window). */
  | 'INVALID_OPTIONS'
  /** The event is not an infrastructure event this contract knows (unknown `event_type`). */
  | 'INVALID_EVENT'
  /** The stream does not exist (and the store was told not to create it). */
  | 'STREAM_NOT_FOUND'
  /** The stream exists with a setting that cannot be changed in place (storage type, retention). */
  | 'STREAM_CONFIG_CONFLICT'
  /** The server refused to create or update the stream (overlapping subjects, replicas, limits). */
  | 'STREAM_SETUP_FAILED'
  /** A publish failed: no stream for the subject, timeout, server error, closed connection. */
  | 'APPEND_FAILED'
  /** Reading history failed: the consumer could not be created or the stream went away. */
  | 'READ_FAILED'
  /** A live subscription could not be started or broke down. */
  | 'SUBSCRIPTION_FAILED'
  /** The store was closed. */
  | 'CLOSED';

/** Base error of the event store: a stable `code` plus a message a person can act on. */
export class EventStoreError extends Error {
  override readonly name = 'EventStoreError';
  constructor(
    readonly code: EventStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isEventStoreError = (e: unknown): e is EventStoreError => e instanceof EventStoreError;

/** The message of an unknown thrown value, for wrapping it in an {@link EventStoreError}. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
