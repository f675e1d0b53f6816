/** What the projector reads from every JetStream delivery. */
export interface Delivery {
  streamSequence: number;
  /** Stored time, in whole milliseconds (the subject carries nanoseconds, beyond a double's precision). */
  timestampMs: number;
  /** Messages left for the consumer after this one. */
  pending: number;
}

/** Dot positions of the subject being parsed; reused, parsing is synchronous. */
const dots = new Int32Array(12);

/**
 * Reads a delivery from its reply subject: `$JS.ACK.<domain>.<account>.<stream>.<consumer>.
 * <delivered>.<stream seq>.<consumer seq>.<nanos>.<pending>[.<token>]`, or the older form without
 * domain and account. nats.js' `JsMsg.info` does the same with `split` and `parseInt`, building eleven
 * strings and a ten-field object per message: 5–6% of a replay's CPU in profiles, ~1 µs per message.
 * Returns undefined for anything else, so the caller can fall back to `info` and its error.
 */
export const parseDelivery = (reply: string): Delivery | undefined => {
  if (!reply.startsWith('$JS.ACK.')) return undefined;
  let count = 0;
  for (let at = reply.indexOf('.'); at !== -1 && count < dots.length; at = reply.indexOf('.', at + 1))
    dots[count++] = at;
  // 9 tokens (8 dots): old form; 11 or more: new form, where the old form's tokens start 2 later.
  if (count !== 8 && count < 10) return undefined;
  const shift = count === 8 ? 0 : 2;
  const streamSequence = digits(reply, dots[4 + shift]! + 1, dots[5 + shift]!, 0);
  const timestampMs = digits(reply, dots[6 + shift]! + 1, dots[7 + shift]!, 6);
  const pending = digits(reply, dots[7 + shift]! + 1, count > 8 + shift ? dots[8 + shift]! : reply.length, 0);
  if (streamSequence < 0 || timestampMs < 0 || pending < 0) return undefined;
  return { streamSequence, timestampMs, pending };
};

/** The decimal number in `text[from, to)` without its last `drop` digits; -1 if it is not all digits. */
const digits = (text: string, from: number, to: number, drop: number): number => {
  if (to <= from) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    if (i < to - drop) value = value * 10 + digit;
  }
  return value;
};
