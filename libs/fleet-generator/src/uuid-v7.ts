import type { Prng } from './prng.js';

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const DASH = 0x2d;
const SEVEN = 0x37;

/**
 * Deterministic UUID v7 ids (RFC 9562): the 48-bit millisecond timestamp the caller gives, version 7,
 * variant `10`; of the 74 remaining bits, 40 come from a seeded {@link Prng} instead of the clock and
 * crypto RNG, 2 name the factory's `stream` (0–3) and 32 are a bijective scramble of a per-factory
 * sequence number. Ids of one factory, and of the differently numbered factories of one fleet, are
 * therefore unique by construction, not just by probability.
 */
export class UuidV7Factory {
  private sequence: number;
  private readonly variantBase: number;
  // Digits are written into a buffer and read out at once: a flat 36-byte string instead of a tree of
  // concatenations, which matters for the ids a large fleet keeps in memory.
  private readonly buffer = Buffer.alloc(36);

  constructor(
    private readonly prng: Prng,
    stream: 0 | 1 | 2 | 3,
  ) {
    this.variantBase = 0x8000 | (stream << 12);
    // A random starting point keeps the scrambled sequences of different factories from looking alike.
    this.sequence = prng.uint32();
  }

  /** A new id carrying `timestampMs` (0 ≤ t < 2^48). */
  next(timestampMs: number): string {
    const r = this.prng.uint32();
    const r2 = this.prng.uint32();
    const b = this.buffer;
    writeHex(b, 0, Math.floor(timestampMs / 65536) >>> 0, 8);
    b[8] = DASH;
    writeHex(b, 9, timestampMs & 0xffff, 4);
    b[13] = DASH;
    b[14] = SEVEN;
    writeHex(b, 15, r & 0xfff, 3);
    b[18] = DASH;
    writeHex(b, 19, this.variantBase | ((r >>> 12) & 0xfff), 4);
    b[23] = DASH;
    writeHex(b, 24, r2 & 0xffff, 4);
    writeHex(b, 28, scramble(this.sequence++ >>> 0), 8);
    return b.toString('latin1', 0, 36);
  }
}

/** Writes the low `digits` hex digits of `value` at `at`. */
const writeHex = (b: Buffer, at: number, value: number, digits: number): void => {
  let v = value;
  for (let i = digits - 1; i >= 0; i--) {
    b[at + i] = HEX_DIGITS[v & 15]!;
    v >>>= 4;
  }
};

/** A bijection on 32-bit integers (xorshift-multiply steps are each invertible). */
const scramble = (x: number): number => {
  let h = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
};
