import { EVENT_HEADERS, encodeEvent, type InfrastructureEvent, isEventType, subjectFor } from '@cim/contract';
import type { StreamExpectations } from '@nats-io/jetstream';
import { EventStoreError, messageOf } from './errors.js';
import { eventHeaders } from './event-headers.js';
import { planRead, runRead } from './read-events.js';
import type { StoreContext } from './store-context.js';
import { jetStreamApiCode } from './stream-info.js';

/** Outcome of an append: stored (or already stored: `duplicate`), or lost an optimistic-concurrency race. */
export type AppendResult =
  | { ok: true; sequence: number; duplicate: boolean }
  | { ok: false; reason: 'version_conflict'; message: string };

/** Options of a single append. */
export interface AppendOptions {
  /**
   * Append only if the stream's last sequence is still this one (`Nats-Expected-Last-Sequence`, stream
   * wide, every server version); else the result is a `version_conflict`. 0 means "the stream is empty".
   */
  expectedLastSequence?: number;
  /** Milliseconds to wait for the server's ack. Default: the JetStream context's timeout. */
  timeoutMs?: number;
}

/** JetStream API codes of a failed `Nats-Expected-Last-Sequence` check. */
const WRONG_LAST_SEQUENCE: ReadonlySet<number> = new Set([10071, 10164]);
const WRONG_STREAM = 10060;

/** Throws `INVALID_EVENT` unless `event` names an event type of the contract's catalog. */
export const assertEvent = (event: InfrastructureEvent): void => {
  const type = (event as { event_type?: unknown } | null)?.event_type;
  if (typeof type !== 'string' || !isEventType(type)) {
    throw new EventStoreError(
      'INVALID_EVENT',
      `not an infrastructure event: unknown event_type ${JSON.stringify(type)}`,
    );
  }
};

/** Wraps a publish failure in an `APPEND_FAILED` error that says what to do about it. */
export const appendFailed = (ctx: StoreContext, subject: string, e: unknown): EventStoreError => {
  const name = e instanceof Error ? e.name : '';
  let message = `appending to ${subject} failed: ${messageOf(e)}`;
  if (name === 'JetStreamNotEnabled') {
    message = `no stream captures ${subject}: is stream ${ctx.stream} set up with subjects ${ctx.subjectRoot}.>?`;
  } else if (name === 'TimeoutError') {
    message = `no ack for ${subject} in time; the event may or may not be stored, and appending it again is safe within the dedup window`;
  } else if (jetStreamApiCode(e) === WRONG_STREAM) {
    message = `${subject} is captured by another stream than ${ctx.stream}: ${messageOf(e)}`;
  }
  return new EventStoreError('APPEND_FAILED', message, { cause: e });
};

/** The sequence of the message with `Nats-Msg-Id` = `eventId` on `subject` from `fromSequence` on, if any. */
async function findStored(ctx: StoreContext, subject: string, eventId: string, fromSequence: number) {
  const plan = await planRead(ctx, { fromSequence, filterSubject: subject }, true);
  for await (const stored of runRead(ctx, plan, (m) => m.headers?.get(EVENT_HEADERS.msgId) === eventId)) {
    return stored.sequence;
  }
  return undefined;
}

/**
 * Publishes one event on `subjectFor(event_type, root)` with its identity headers, dedup on
 * `Nats-Msg-Id` = event_id and, if given, the expected last sequence. A lost race is a result, any
 * other failure throws `APPEND_FAILED`.
 *
 * Servers disagree on an event that is both a duplicate and behind the expected sequence (2.9 acks the
 * duplicate, newer ones report the wrong sequence); so on a conflict this looks for the event_id after
 * the expected sequence and reports a duplicate if it is there, the same on every server.
 */
export async function appendEvent(
  ctx: StoreContext,
  event: InfrastructureEvent,
  options: AppendOptions = {},
): Promise<AppendResult> {
  assertEvent(event);
  const { expectedLastSequence, timeoutMs } = options;
  if (
    expectedLastSequence !== undefined &&
    (!Number.isSafeInteger(expectedLastSequence) || expectedLastSequence < 0)
  ) {
    throw new EventStoreError(
      'INVALID_OPTIONS',
      `expectedLastSequence must be an integer >= 0, got ${expectedLastSequence}`,
    );
  }
  const subject = subjectFor(event.event_type, ctx.subjectRoot);
  const expect: Partial<StreamExpectations> = { streamName: ctx.stream };
  if (expectedLastSequence !== undefined) expect.lastSequence = expectedLastSequence;
  try {
    const ack = await ctx.js.publish(subject, encodeEvent(event), {
      headers: eventHeaders(event),
      expect,
      ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
    });
    return { ok: true, sequence: ack.seq, duplicate: ack.duplicate };
  } catch (e) {
    if (expectedLastSequence === undefined || !WRONG_LAST_SEQUENCE.has(jetStreamApiCode(e) ?? 0)) {
      throw appendFailed(ctx, subject, e);
    }
    const stored = await findStored(ctx, subject, event.event_id, expectedLastSequence + 1);
    if (stored !== undefined) return { ok: true, sequence: stored, duplicate: true };
    return {
      ok: false,
      reason: 'version_conflict',
      message: `${event.event_type} for ${event.aggregate_type} ${event.aggregate_id} expected the stream at sequence ${expectedLastSequence} (${messageOf(e)}); catch up and decide again`,
    };
  }
}
