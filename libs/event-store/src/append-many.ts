import type { InfrastructureEvent } from '@cim/contract';
import { AckWindow, type AppendProgress } from './ack-window.js';
import { appendFailed } from './append-event.js';
import { EventStoreError } from './errors.js';
import type { StoreContext } from './store-context.js';

/** Publishes in flight (sent, not yet acked) during {@link appendMany}. */
export const DEFAULT_APPEND_IN_FLIGHT = 256;
/** {@link appendMany} fails when no ack arrives for this long while publishes are in flight. */
export const DEFAULT_ACK_TIMEOUT_MS = 10_000;
/** {@link appendMany} reports progress after this many acks (and once at the end). */
export const DEFAULT_PROGRESS_EVERY = 1_000;

export type { AppendProgress } from './ack-window.js';

export interface AppendManyOptions {
  /** Most publishes awaiting their ack at once. Default {@link DEFAULT_APPEND_IN_FLIGHT}. */
  inFlight?: number;
  /** Fail when no ack arrives for this many ms. Default {@link DEFAULT_ACK_TIMEOUT_MS}. */
  ackTimeoutMs?: number;
  /** Called every `progressEvery` acks and once at the end. Keep it cheap: it runs on the ack path. */
  onProgress?: (progress: AppendProgress) => void;
  /** Default {@link DEFAULT_PROGRESS_EVERY}. */
  progressEvery?: number;
  /** Stops sending; the append then fails with `APPEND_FAILED` after the sent events are counted. */
  signal?: AbortSignal;
}

export interface AppendManyResult {
  /** Events acknowledged: appended + duplicates. */
  count: number;
  appended: number;
  duplicates: number;
  /** Sequence of the first newly appended event, if any. */
  firstSequence?: number;
  /** Highest sequence acknowledged, if any. */
  lastSequence?: number;
}

const positive = (name: string, value: number): number => {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new EventStoreError('INVALID_OPTIONS', `${name} must be a positive integer, got ${value}`);
  }
  return value;
};

const isSyncIterable = <T>(v: Iterable<T> | AsyncIterable<T>): v is Iterable<T> =>
  typeof (v as Iterable<T>)[Symbol.iterator] === 'function';

/**
 * Appends many events, in order, with up to `inFlight` publishes awaiting their acks: the bulk path
 * for seeding and imports. Dedup by event_id holds as for single appends; there is no
 * expected-sequence check. On the first failure it stops sending, counts the acks of what was sent and
 * throws (`APPEND_FAILED`, or `INVALID_EVENT`); events after a failed one may be stored, so appending
 * the same events again is safe within the dedup window.
 */
export async function appendMany(
  ctx: StoreContext,
  events: Iterable<InfrastructureEvent> | AsyncIterable<InfrastructureEvent>,
  options: AppendManyOptions = {},
): Promise<AppendManyResult> {
  const window = new AckWindow(ctx, {
    inFlight: positive('inFlight', options.inFlight ?? DEFAULT_APPEND_IN_FLIGHT),
    ackTimeoutMs: positive('ackTimeoutMs', options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS),
    every: positive('progressEvery', options.progressEvery ?? DEFAULT_PROGRESS_EVERY),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const { signal } = options;
  /** Waits for room when the window is full (only then: no await per event); false once failed. */
  const send = async (event: InfrastructureEvent): Promise<boolean> => {
    if (signal?.aborted)
      window.fail(new EventStoreError('APPEND_FAILED', 'appendMany aborted', { cause: signal.reason }));
    await window.until(() => window.hasRoom());
    if (window.failure) return false;
    window.submit(event);
    return true;
  };
  try {
    try {
      if (isSyncIterable(events)) {
        for (const event of events) {
          if (window.hasRoom() && !signal?.aborted && !window.failure) window.submit(event);
          else if (!(await send(event))) break;
        }
      } else {
        for await (const event of events) if (!(await send(event))) break;
      }
      await window.until(() => window.inFlight === 0);
    } catch (e) {
      window.fail(e instanceof EventStoreError ? e : appendFailed(ctx, 'events', e));
    }
    const { failure, progress } = window;
    if (failure) {
      await window.drain();
      throw new EventStoreError(
        failure.code,
        `${failure.message}; ${progress.acked} of ${progress.submitted} events sent were acknowledged, ` +
          'and appending the same events again is safe within the dedup window',
        { cause: failure.cause ?? failure },
      );
    }
  } finally {
    window.close();
    options.onProgress?.({ ...window.progress });
  }
  const { acked, appended, duplicates, lastSequence } = window.progress;
  return {
    count: acked,
    appended,
    duplicates,
    ...(window.firstSequence === undefined ? {} : { firstSequence: window.firstSequence }),
    ...(acked > 0 ? { lastSequence } : {}),
  };
}
