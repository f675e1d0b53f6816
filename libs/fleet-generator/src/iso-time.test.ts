import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IsoTime } from './iso-time.js';

describe('IsoTime', () => {
  it('formats increasing timestamps exactly like Date#toISOString', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Date.UTC(9000, 0, 1) }),
        fc.array(fc.integer({ min: 0, max: 200_000 }), { maxLength: 200 }),
        (start, gaps) => {
          const iso = new IsoTime();
          let ms = start;
          for (const gap of [0, ...gaps]) {
            ms += gap;
            expect(iso.format(ms)).toBe(new Date(ms).toISOString());
          }
        },
      ),
    );
  });
});
