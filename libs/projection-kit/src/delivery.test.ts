import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDelivery } from './delivery.js';

/** An independent reading of the subject: split, exact BigInt arithmetic for the nanoseconds. */
const reference = (reply: string) => {
  const tokens = reply.split('.');
  if (tokens.length === 9) tokens.splice(2, 0, '_', '');
  return {
    streamSequence: Number(tokens[7]),
    timestampMs: Number(BigInt(tokens[9]!) / 1_000_000n),
    pending: Number(tokens[10]),
  };
};

const token = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const count = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const nanos = fc.bigInt({ min: 0n, max: 9_999_999_999_999_999_999n }).map(String);
const subjects = fc.oneof(
  fc
    .tuple(token, token, fc.nat(), count, count, nanos, count)
    .map(([stream, consumer, ...n]) => ['$JS', 'ACK', stream, consumer, ...n].join('.')),
  fc
    .tuple(fc.constantFrom('_', 'hub'), token, token, token, fc.nat(), count, count, nanos, count)
    .chain((parts) =>
      fc
        .option(token, { nil: undefined })
        .map((random) => ['$JS', 'ACK', ...parts, ...(random ? [random] : [])]),
    )
    .map((tokens) => tokens.join('.')),
);

describe('parseDelivery', () => {
  it('reads sequence, whole milliseconds and pending from both subject forms, as an exact reading does', () => {
    fc.assert(
      fc.property(subjects, (reply) => {
        expect(parseDelivery(reply)).toEqual(reference(reply));
      }),
      {
        numRuns: 2_000,
      },
    );
  });

  it('reads a subject as the server sends it', () => {
    expect(
      parseDelivery('$JS.ACK.INFRASTRUCTURE_EVENTS.sql-projector.1.1234.1230.1763812345678999999.98766'),
    ).toEqual({ streamSequence: 1234, timestampMs: 1_763_812_345_678, pending: 98_766 });
  });

  it('returns undefined for anything else, so the caller falls back to nats.js and its error', () => {
    for (const reply of [
      '',
      '_INBOX.abc',
      '$JS.ACK.S.C.1.2.3.4',
      '$JS.ACK.S.C.1.2.3.4.5.6',
      '$JS.ACK.S.C.1.x.3.4.5',
      '$JS.ACK.S.C.1.2.3.4.',
      '$JS.ACK._.h.S.C.1.2.3.-4.5',
      '$JS.NAK.S.C.1.2.3.4.5',
    ])
      expect(parseDelivery(reply), reply).toBeUndefined();
  });
});
