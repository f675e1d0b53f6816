import { type DecodeResult, decodeEvent, encodeEvent, type InfrastructureEvent } from '@cim/contract';
import type { PrefoldedBatch, ProjectionAdapter, StreamEvent } from './adapter.js';
import type { DeadLetter } from './dead-letter.js';
import { CheckpointMovedError, isTransientError, TransientError } from './errors.js';

/** A message as it came from the stream, before decoding. */
export type RawStreamMessage = {
  sequence: number;
  subject: string;
  timestamp: Date;
  /** Decoded ok and added to its batch's fold on arrival ({@link ApplyBatchOptions.prefolded}). */
  folded?: true;
} & (
  | { data: Uint8Array; decoded?: DecodeResult }
  /**
   * Decoded by the caller as it arrived (the projector does), its bytes let go: they would keep
   * nats.js' socket reads alive while the batch waits. A dead letter reads them back by sequence.
   */
  | { data?: undefined; decoded: DecodeResult & { ok: true } }
);

export interface ApplyBatchOptions {
  /** Attempts per event before a deterministic handler failure counts as poison. @default 3 */
  maxAttempts?: number;
  /** Stop before the first poison event instead of dead-lettering it. @default false */
  haltOnPoison?: boolean;
  /** Parks a poison event; called before the checkpoint moves past it. */
  deadLetter(letter: DeadLetter): Promise<void>;
  /** The stored bytes of the event at `sequence`, for a letter of a message that no longer holds them. */
  storedBytes?(sequence: number): Promise<Uint8Array>;
  /**
   * The messages' fold, made as they arrived (the adapter's `prefold`). Used when every message is
   * `folded` and the adapter says the fold applies; otherwise the messages are decoded and projected.
   */
  prefolded?: PrefoldedBatch;
}

interface Outcome {
  checkpoint: number;
  applied: number;
  deadLettered: number;
  /** The batch was written through its fold ({@link ApplyBatchOptions.prefolded}). */
  prefolded?: true;
}

export type ApplyBatchResult =
  | ({ halted: false } & Outcome)
  | ({ halted: true; poison: DeadLetter } & Outcome);

const letterFor = (
  projector: string,
  m: RawStreamMessage,
  data: Uint8Array,
  code: string,
  reason: string,
  attempts: number,
): DeadLetter => ({
  projector,
  subject: m.subject,
  sequence: m.sequence,
  data_base64: Buffer.from(data).toString('base64'),
  reason,
  code,
  attempts,
  failed_at: new Date().toISOString(),
});

/**
 * The bytes a dead letter carries: the message's own, else the stream's copy. Should the stream no
 * longer hold it (retention, purge), the decoded event re-encoded, which the reason says.
 */
const bytesFor = async (
  m: RawStreamMessage,
  options: ApplyBatchOptions,
): Promise<{ data: Uint8Array; note: string }> => {
  if (m.data) return { data: m.data, note: '' };
  try {
    if (options.storedBytes) return { data: await options.storedBytes(m.sequence), note: '' };
  } catch {
    // fall through to the re-encoded event
  }
  return {
    data: encodeEvent(m.decoded.event),
    note: ' (the stream no longer holds the original bytes: re-encoded from the decoded event)',
  };
};

/** The event of a message, as the adapter gets it. */
export const streamEventOf = (m: RawStreamMessage, event: InfrastructureEvent): StreamEvent => ({
  sequence: m.sequence,
  subject: m.subject,
  timestamp: m.timestamp,
  event,
});

/** The events of folded messages, decoded again from the bytes they kept (they decoded ok once). */
const decodeFolded = (messages: readonly RawStreamMessage[]): StreamEvent[] =>
  messages.map((m) => {
    const decoded = m.decoded ?? decodeEvent(m.data!);
    if (!decoded.ok) throw new Error(`event ${m.sequence} decoded on arrival, not again: ${decoded.reason}`);
    return streamEventOf(m, decoded.event);
  });

/** Rethrows as TransientError when the failure is an outage, so the caller retries without loss. */
const classify = async (adapter: ProjectionAdapter, error: unknown): Promise<void> => {
  if (error instanceof CheckpointMovedError) throw error; // the caller re-positions; nothing is poison
  if (isTransientError(error))
    throw new TransientError((error as Error).message ?? String(error), { cause: error });
  const health = await adapter
    .healthCheck()
    .catch((e: unknown) => ({ state: 'degraded' as const, detail: String(e) }));
  if (health.state !== 'ok') {
    throw new TransientError(`store degraded: ${health.detail ?? (error as Error).message}`, {
      cause: error,
    });
  }
};

const commit = <Tx>(
  adapter: ProjectionAdapter<Tx>,
  events: readonly StreamEvent[],
  from: number,
  to: number,
) =>
  adapter.transaction(async (tx) => {
    if (events.length > 0) await adapter.project(events, tx);
    await adapter.writeCheckpoint(to, tx, from);
  });

/**
 * Applies messages above `checkpoint` and commits the new checkpoint with them. Undecodable events
 * are poison at once. If the batch fails while the store is healthy, events are applied one by one
 * to find the handler failures, which become poison after `maxAttempts`. Outages throw
 * {@link TransientError}: nothing is committed beyond what was, and the caller retries later.
 */
export const applyBatch = async <Tx>(
  adapter: ProjectionAdapter<Tx>,
  messages: readonly RawStreamMessage[],
  checkpoint: number,
  options: ApplyBatchOptions,
): Promise<ApplyBatchResult> => {
  const maxAttempts = options.maxAttempts ?? 3;
  const fresh = messages.filter((m) => m.sequence > checkpoint);
  if (fresh.length === 0) return { halted: false, checkpoint, applied: 0, deadLettered: 0 };
  const { prefolded } = options;
  if (prefolded && adapter.prefold && fresh.length === messages.length && fresh.every((m) => m.folded)) {
    const last = fresh[fresh.length - 1]!.sequence;
    try {
      let used = false;
      await adapter.transaction(async (tx) => {
        used = await adapter.prefold!.project(prefolded, tx);
        if (!used) await adapter.project(decodeFolded(fresh), tx);
        await adapter.writeCheckpoint(last, tx, checkpoint);
      });
      const applied = { halted: false, checkpoint: last, applied: fresh.length, deadLettered: 0 } as const;
      return used ? { ...applied, prefolded: true } : applied;
    } catch (error) {
      await classify(adapter, error);
    }
    return applyOneByOne(adapter, fresh, decodeFolded(fresh), checkpoint, maxAttempts, options, 0);
  }

  const events: StreamEvent[] = [];
  const poison: DeadLetter[] = [];
  for (const m of fresh) {
    const decoded = m.decoded ?? decodeEvent(m.data);
    if (decoded.ok) {
      events.push(streamEventOf(m, decoded.event));
    } else {
      // Only a message decoded ok lets go of its bytes.
      const letter = letterFor(adapter.name, m, m.data!, decoded.code, decoded.reason, 1);
      if (options.haltOnPoison) return haltBefore(adapter, events, checkpoint, letter);
      poison.push(letter);
    }
  }
  const last = fresh[fresh.length - 1]!.sequence;

  try {
    for (const letter of poison) await options.deadLetter(letter);
    await commit(adapter, events, checkpoint, last);
    return { halted: false, checkpoint: last, applied: events.length, deadLettered: poison.length };
  } catch (error) {
    await classify(adapter, error);
  }
  return applyOneByOne(adapter, fresh, events, checkpoint, maxAttempts, options, poison.length);
};

const haltBefore = async <Tx>(
  adapter: ProjectionAdapter<Tx>,
  before: StreamEvent[],
  checkpoint: number,
  poison: DeadLetter,
): Promise<ApplyBatchResult> => {
  const good = before.filter((e) => e.sequence < poison.sequence);
  if (good.length === 0) return { halted: true, checkpoint, applied: 0, deadLettered: 0, poison };
  try {
    const reached = good[good.length - 1]!.sequence;
    await commit(adapter, good, checkpoint, reached);
    return { halted: true, checkpoint: reached, applied: good.length, deadLettered: 0, poison };
  } catch (error) {
    await classify(adapter, error);
    throw error;
  }
};

const applyOneByOne = async <Tx>(
  adapter: ProjectionAdapter<Tx>,
  fresh: readonly RawStreamMessage[],
  events: readonly StreamEvent[],
  checkpoint: number,
  maxAttempts: number,
  options: ApplyBatchOptions,
  alreadyParked: number,
): Promise<ApplyBatchResult> => {
  const bySequence = new Map(events.map((e) => [e.sequence, e]));
  let reached = checkpoint;
  let applied = 0;
  let deadLettered = alreadyParked;
  for (const m of fresh) {
    const event = bySequence.get(m.sequence);
    if (!event) {
      // Undecodable: already parked above; only move the checkpoint past it.
      await commit(adapter, [], reached, m.sequence).catch((e: unknown) =>
        classify(adapter, e).then(() => Promise.reject(e)),
      );
      reached = m.sequence;
      continue;
    }
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        await commit(adapter, [event], reached, m.sequence);
        lastError = undefined;
        break;
      } catch (error) {
        await classify(adapter, error);
        lastError = error;
      }
    }
    if (lastError === undefined) {
      applied++;
    } else {
      const { data, note } = await bytesFor(m, options);
      const letter = letterFor(
        adapter.name,
        m,
        data,
        'HANDLER_FAILED',
        `${(lastError as Error).message ?? String(lastError)}${note}`,
        maxAttempts,
      );
      if (options.haltOnPoison)
        return { halted: true, checkpoint: reached, applied, deadLettered, poison: letter };
      await options.deadLetter(letter);
      await commit(adapter, [], reached, m.sequence);
      deadLettered++;
    }
    reached = m.sequence;
  }
  return { halted: false, checkpoint: reached, applied, deadLettered };
};
