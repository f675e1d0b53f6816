import { EVENT_HEADERS } from '@cim/contract';
import { EventStoreError } from './errors.js';
import { planRead, runRead } from './read-events.js';
import type { StoreContext } from './store-context.js';
import type { StoredEvent } from './stored-event.js';
import { aggregateTypeSubject } from './subject-filter.js';

/** One aggregate's events and the stream position they were read at. */
export interface AggregateHistory {
  /** The aggregate's events in stream order. */
  events: StoredEvent[];
  /**
   * The stream's last sequence when the read started (or `untilSequence`): append the next decision
   * with `expectedLastSequence: streamSequence` so it fails if anything was appended since.
   */
  streamSequence: number;
}

export interface ReadAggregateOptions {
  /** Start here instead of 1, e.g. after a snapshot. */
  fromSequence?: number;
  /** Read up to here (inclusive) instead of the stream's last sequence. */
  untilSequence?: number;
  /** Messages per pull. Default {@link DEFAULT_READ_BATCH_SIZE}. */
  batchSize?: number;
}

/**
 * One aggregate's history in order. Subjects carry no aggregate id, so this reads the aggregate type's
 * subjects (`{root}.{type}.>`) and keeps messages whose `Cim-Aggregate-Id` header matches: no JSON is
 * parsed for other aggregates.
 */
export async function readAggregate(
  ctx: StoreContext,
  aggregateType: string,
  aggregateId: string,
  options: ReadAggregateOptions = {},
): Promise<AggregateHistory> {
  if (!/^[^\s.*>]+$/.test(aggregateType)) {
    throw new EventStoreError(
      'INVALID_OPTIONS',
      `aggregate type must be one subject token, got '${aggregateType}'`,
    );
  }
  if (aggregateId === '') throw new EventStoreError('INVALID_OPTIONS', 'aggregate id must not be empty');
  const plan = await planRead(ctx, {
    ...options,
    filterSubject: aggregateTypeSubject(ctx.subjectRoot, aggregateType),
  });
  const events: StoredEvent[] = [];
  const isTheAggregate = (m: { headers?: { get(k: string): string } | undefined }) =>
    m.headers?.get(EVENT_HEADERS.aggregateId) === aggregateId;
  for await (const stored of runRead(ctx, plan, isTheAggregate)) events.push(stored);
  return { events, streamSequence: plan.end };
}
