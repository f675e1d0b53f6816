import { type DecodeResult, decodeEvent, UPCASTERS, type UpcasterRegistry } from '@cim/contract';
import type { JsMsg } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/nats-core';

/** Read-only headers of a stored event, parsed only when first used (reads stay fast). */
export interface EventHeaders {
  /** The first value of header `name` (exact case, e.g. `Cim-Aggregate-Id`), or undefined. */
  get(name: string): string | undefined;
  has(name: string): boolean;
  /** Every header with its first value. */
  toRecord(): Record<string, string>;
}

/** One message of the event stream, as stored: the bytes are not parsed (see {@link decodeStoredEvent}). */
export interface StoredEvent {
  /** Stream sequence, the event's global position (1-based, gap-free unless events were deleted). */
  readonly sequence: number;
  /** `{root}.{aggregate}.{operation}` */
  readonly subject: string;
  /** When the stream stored the message. */
  readonly timestamp: Date;
  readonly headers: EventHeaders;
  /** The event's JSON bytes. */
  readonly data: Uint8Array;
}

class LazyHeaders implements EventHeaders {
  readonly #msg: JsMsg;
  constructor(msg: JsMsg) {
    this.#msg = msg;
  }
  get #parsed(): MsgHdrs | undefined {
    return this.#msg.headers;
  }
  get(name: string): string | undefined {
    const h = this.#parsed;
    return h?.has(name) ? h.get(name) : undefined;
  }
  has(name: string): boolean {
    return this.#parsed?.has(name) ?? false;
  }
  toRecord(): Record<string, string> {
    const h = this.#parsed;
    const out: Record<string, string> = {};
    for (const key of h?.keys() ?? []) out[key] = h?.get(key) ?? '';
    return out;
  }
  toJSON(): Record<string, string> {
    return this.toRecord();
  }
}

/** The stored event of a JetStream message delivered by a consumer. */
export const toStoredEvent = (m: JsMsg): StoredEvent => {
  const info = m.info;
  return {
    sequence: info.streamSequence,
    subject: m.subject,
    timestamp: new Date(info.timestampNanos / 1e6),
    headers: new LazyHeaders(m),
    data: m.data,
  };
};

/** Parses, upcasts and validates a stored event with the contract's {@link decodeEvent}; never throws. */
export const decodeStoredEvent = (
  stored: StoredEvent,
  upcasters: UpcasterRegistry = UPCASTERS,
): DecodeResult => decodeEvent(stored.data, upcasters);
