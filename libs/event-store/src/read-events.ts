import {
  AckPolicy,
  type Consumer,
  DeliverPolicy,
  type JsMsg,
  type OrderedConsumerOptions,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { type ConsumerFilter, planConsumerFilter } from './consumer-filter.js';
import { EventStoreError, isEventStoreError, messageOf } from './errors.js';
import type { StoreContext } from './store-context.js';
import { type StoredEvent, toStoredEvent } from './stored-event.js';
import { requireStream } from './stream-info.js';

/** Messages requested per pull while reading history. */
export const DEFAULT_READ_BATCH_SIZE = 1000;

/** What to read from the event stream. By default: every event, up to the last one when the read starts. */
export interface ReadOptions {
  /** First stream sequence to read. Default 1. Give either this or `fromTime`. */
  fromSequence?: number;
  /** Read the events stored at or after this instant. */
  fromTime?: Date;
  /**
   * Last sequence to read, inclusive. Default, and upper bound: the stream's last sequence when the
   * read starts, so a read always ends even while others append.
   */
  untilSequence?: number;
  /** Only these subjects (wildcards allowed), e.g. `infrastructure.compute.>`. Default: all. */
  filterSubject?: string | readonly string[];
  /** Messages per pull request. Default {@link DEFAULT_READ_BATCH_SIZE}. */
  batchSize?: number;
}

/** A read resolved against the stream: which sequences, which filter. */
export interface ReadPlan {
  start: number;
  /** Last sequence the read covers: the stream's last sequence at planning time, or `untilSequence`. */
  end: number;
  filter: ConsumerFilter;
  batchSize: number;
  headersOnly: boolean;
}

const invalid = (message: string) => new EventStoreError('INVALID_OPTIONS', message);

const checkSequence = (name: string, value: number | undefined, min: number): void => {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) {
    throw invalid(`${name} must be an integer >= ${min}, got ${value}`);
  }
};

/** The first sequence stored at or after `time`: the start an ephemeral consumer by start time picks. */
async function sequenceAtTime(ctx: StoreContext, time: Date): Promise<number> {
  const ci = await ctx.jsm.consumers.add(ctx.stream, {
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: time.toISOString(),
    ack_policy: AckPolicy.None,
    mem_storage: true,
    inactive_threshold: nanos(30_000),
  });
  ctx.jsm.consumers.delete(ctx.stream, ci.name).catch(() => {});
  // A new consumer reports the sequence before its first message as delivered.
  return ci.delivered.stream_seq + 1;
}

/** Validates `options` and resolves them against the stream's current state. */
export async function planRead(
  ctx: StoreContext,
  options: ReadOptions = {},
  headersOnly = false,
): Promise<ReadPlan> {
  const {
    fromSequence,
    fromTime,
    untilSequence,
    filterSubject,
    batchSize = DEFAULT_READ_BATCH_SIZE,
  } = options;
  checkSequence('fromSequence', fromSequence, 1);
  checkSequence('untilSequence', untilSequence, 0);
  checkSequence('batchSize', batchSize, 1);
  if (fromSequence !== undefined && fromTime !== undefined)
    throw invalid('give fromSequence or fromTime, not both');
  if (fromTime !== undefined && Number.isNaN(fromTime.getTime()))
    throw invalid('fromTime is an invalid Date');
  const filter = planConsumerFilter(filterSubject, ctx.nc.info?.version);
  const info = await requireStream(ctx.jsm, ctx.stream);
  const last = info.state.last_seq;
  const end = Math.min(untilSequence ?? last, last);
  let start = fromSequence ?? 1;
  if (fromTime !== undefined && end > 0) {
    try {
      start = await sequenceAtTime(ctx, fromTime);
    } catch (e) {
      throw new EventStoreError(
        'READ_FAILED',
        `cannot find where ${fromTime.toISOString()} starts in ${ctx.stream}: ${messageOf(e)}`,
        { cause: e },
      );
    }
  }
  return { start, end, filter, batchSize, headersOnly };
}

/** Opens an ordered consumer on the stream from `start` with `filter`; wraps failures as `errorCode`. */
export async function openOrderedConsumer(
  ctx: StoreContext,
  filter: ConsumerFilter,
  start: number,
  errorCode: 'READ_FAILED' | 'SUBSCRIPTION_FAILED',
  headersOnly = false,
): Promise<Consumer> {
  const options: Partial<OrderedConsumerOptions> = { opt_start_seq: start };
  if (filter.server !== undefined) options.filter_subjects = filter.server;
  if (headersOnly) options.headers_only = true;
  try {
    return await ctx.js.consumers.get(ctx.stream, options);
  } catch (e) {
    throw new EventStoreError(errorCode, `cannot open a consumer on ${ctx.stream}: ${messageOf(e)}`, {
      cause: e,
    });
  }
}

/**
 * Reads the planned range in order with an ordered consumer and batched pulls, yielding the events
 * `accept` lets through (all by default), and deletes the consumer when done or abandoned. Throws
 * `READ_FAILED` if the read ends before the planned end (connection closed, stream deleted).
 */
export async function* runRead(
  ctx: StoreContext,
  plan: ReadPlan,
  accept?: (m: JsMsg) => boolean,
): AsyncGenerator<StoredEvent, void, undefined> {
  if (plan.start > plan.end) return;
  const consumer = await openOrderedConsumer(ctx, plan.filter, plan.start, 'READ_FAILED', plan.headersOnly);
  try {
    if ((await consumer.info(true)).num_pending === 0) return;
    const messages = await consumer.consume({
      max_messages: plan.batchSize,
      abort_on_missing_resource: true,
    });
    let complete = false;
    try {
      for await (const m of messages) {
        const { streamSequence, pending } = m.info;
        if (streamSequence > plan.end) {
          complete = true;
          break;
        }
        if ((plan.filter.client?.(m.subject) ?? true) && (accept?.(m) ?? true)) yield toStoredEvent(m);
        if (streamSequence >= plan.end || pending === 0) {
          complete = true;
          break;
        }
      }
    } catch (e) {
      if (isEventStoreError(e)) throw e;
      throw new EventStoreError('READ_FAILED', `reading ${ctx.stream} failed: ${messageOf(e)}`, { cause: e });
    } finally {
      await messages.close();
    }
    if (!complete) {
      throw new EventStoreError(
        'READ_FAILED',
        `reading ${ctx.stream} stopped before sequence ${plan.end}: the connection closed or the stream went away`,
      );
    }
  } finally {
    consumer.delete().catch(() => {});
  }
}

/** Plans and runs a read: see {@link ReadOptions}. Nothing happens until iteration starts. */
export async function* readEvents(
  ctx: StoreContext,
  options: ReadOptions = {},
): AsyncGenerator<StoredEvent, void, undefined> {
  yield* runRead(ctx, await planRead(ctx, options));
}
