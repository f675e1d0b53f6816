import type { Consumer, ConsumerMessages } from '@nats-io/jetstream';
import { type ConsumerFilter, planConsumerFilter } from './consumer-filter.js';
import { EventStoreError, isEventStoreError, messageOf } from './errors.js';
import { openOrderedConsumer } from './read-events.js';
import type { StoreContext } from './store-context.js';
import { type StoredEvent, toStoredEvent } from './stored-event.js';
import { requireStream } from './stream-info.js';

/** Messages requested per pull by a live subscription. */
export const DEFAULT_SUBSCRIBE_BATCH_SIZE = 256;

export interface SubscribeOptions {
  /** First sequence to deliver. Default: the first event appended after `subscribe()` resolves. */
  fromSequence?: number;
  /** Only these subjects (wildcards allowed). Default: all events. */
  filterSubject?: string | readonly string[];
  /** Messages per pull request. Default {@link DEFAULT_SUBSCRIBE_BATCH_SIZE}. */
  batchSize?: number;
  /** Aborting stops the subscription, like {@link EventSubscription.stop}. */
  signal?: AbortSignal;
}

/** A live tail of the event stream: iterate it once; it ends when stopped or the connection closes. */
export interface EventSubscription extends AsyncIterable<StoredEvent> {
  /** The first sequence this subscription delivers. */
  readonly startSequence: number;
  /** Ends the iteration and deletes the server-side consumer. Safe to call more than once. */
  stop(): Promise<void>;
}

class LiveSubscription implements EventSubscription {
  #iterated = false;
  #stopped: Promise<void> | undefined;

  constructor(
    private readonly ctx: StoreContext,
    private readonly consumer: Consumer,
    private readonly messages: ConsumerMessages,
    private readonly filter: ConsumerFilter,
    readonly startSequence: number,
    private readonly onStop: () => void,
  ) {
    void this.watchStatus();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<StoredEvent, void, undefined> {
    if (this.#iterated)
      throw new EventStoreError('SUBSCRIPTION_FAILED', 'a subscription can be iterated only once');
    this.#iterated = true;
    try {
      for await (const m of this.messages) {
        if (this.filter.client && !this.filter.client(m.subject)) continue;
        yield toStoredEvent(m);
      }
    } catch (e) {
      if (isEventStoreError(e)) throw e;
      throw new EventStoreError(
        'SUBSCRIPTION_FAILED',
        `subscription on ${this.ctx.stream} failed: ${messageOf(e)}`,
        {
          cause: e,
        },
      );
    } finally {
      await this.stop();
    }
  }

  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await this.messages.close();
      await this.consumer.delete().catch(() => false);
      this.onStop();
    })();
    return this.#stopped;
  }

  /** Ordered consumers recover by themselves (recreate on gaps, missed heartbeats, a lost consumer); say so. */
  private async watchStatus(): Promise<void> {
    const { logger, stream } = this.ctx;
    for await (const s of this.messages.status()) {
      if (s.type === 'heartbeats_missed')
        logger.warn({ stream, count: s.count }, 'event subscription missed heartbeats');
      else if (s.type === 'ordered_consumer_recreated')
        logger.info({ stream, consumer: s.name }, 'event subscription consumer recreated');
      else if (s.type === 'stream_not_found')
        logger.warn({ stream }, 'event stream not found; the subscription keeps retrying');
    }
  }
}

/** Starts a live subscription: see {@link SubscribeOptions}. `onStop` runs once it has stopped. */
export async function subscribeEvents(
  ctx: StoreContext,
  options: SubscribeOptions = {},
  onStop: (subscription: EventSubscription) => void = () => {},
): Promise<EventSubscription> {
  const { fromSequence, filterSubject, batchSize = DEFAULT_SUBSCRIBE_BATCH_SIZE, signal } = options;
  for (const [name, value] of [
    ['fromSequence', fromSequence],
    ['batchSize', batchSize],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
      throw new EventStoreError('INVALID_OPTIONS', `${name} must be a positive integer, got ${value}`);
    }
  }
  signal?.throwIfAborted();
  const filter = planConsumerFilter(filterSubject, ctx.nc.info?.version);
  const start = fromSequence ?? (await requireStream(ctx.jsm, ctx.stream)).state.last_seq + 1;
  const consumer = await openOrderedConsumer(ctx, filter, start, 'SUBSCRIPTION_FAILED');
  let messages: ConsumerMessages;
  try {
    messages = await consumer.consume({ max_messages: batchSize });
  } catch (e) {
    await consumer.delete().catch(() => false);
    throw new EventStoreError('SUBSCRIPTION_FAILED', `cannot consume ${ctx.stream}: ${messageOf(e)}`, {
      cause: e,
    });
  }
  const subscription: LiveSubscription = new LiveSubscription(ctx, consumer, messages, filter, start, () =>
    onStop(subscription),
  );
  if (signal) {
    if (signal.aborted) await subscription.stop();
    else signal.addEventListener('abort', () => void subscription.stop(), { once: true });
  }
  return subscription;
}
