import { isUuidV7 } from '@cim/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from './prng.js';
import { UuidV7Factory } from './uuid-v7.js';

const timestampOf = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);

describe('UuidV7Factory', () => {
  it('makes UUID v7 ids that carry the given millisecond timestamp', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), fc.integer(), (ts, seed) => {
        const id = new UuidV7Factory(new Prng(seed), 0).next(ts);
        expect(isUuidV7(id)).toBe(true);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(timestampOf(id)).toBe(ts);
      }),
    );
  });

  it('never repeats an id within a factory or across streams, even at one timestamp', () => {
    const seen = new Set<string>();
    for (const stream of [0, 1, 2, 3] as const) {
      // Same seed for every stream: only the stream bits keep them apart.
      const ids = new UuidV7Factory(new Prng(1), stream);
      for (let i = 0; i < 25_000; i++) seen.add(ids.next(1_735_689_600_000));
    }
    expect(seen.size).toBe(100_000);
  });

  it('is deterministic for a seed', () => {
    const run = (seed: number) => {
      const ids = new UuidV7Factory(new Prng(seed), 1);
      return Array.from({ length: 50 }, (_, i) => ids.next(1_000 + i));
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });
});
