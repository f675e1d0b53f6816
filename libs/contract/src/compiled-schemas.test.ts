import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EVENT_CATALOG, EVENT_TYPES, type EventType } from './catalog.js';
import { payloads, validEvent } from './codec-arbitraries.fixture.js';
import { EnvelopeSchema, InterpretedEnvelopeSchema } from './envelope.js';
import * as P from './payloads.js';

/**
 * The catalog and the envelope run zod's compiled fast path (`z.compile`), which hands anything it
 * would reject to zod's interpreter. These tests hold the compiled form to the interpreter's
 * results on valid and corrupted inputs, and fail if a schema change makes zod refuse to compile
 * (it would silently fall back to the slower interpreter).
 */

const INTERPRETED_PAYLOADS = new Map(Object.entries(P));
/** The payload schema of an event type as written (payloads.ts exports it under the type's name). */
const interpreted = (type: EventType) => INTERPRETED_PAYLOADS.get(type) as z.ZodObject;

/** Values that probe the edges of every field kind: types, bounds, formats, normalisation. */
const probe = fc.oneof(
  fc.anything(),
  fc.string(),
  fc.double(),
  fc.constantFrom(
    -1,
    0,
    1,
    1.5,
    4094,
    4095,
    65536,
    Number.POSITIVE_INFINITY,
    Number.NaN,
    '',
    ' x ',
    'Web-01.Example.COM',
    'AA-BB-CC-DD-EE-FF',
    'aabb.ccdd.eeff',
    '10.0.0.1/24',
    '10.0.0.0/24',
    '2001:DB8::1/64',
    '2026-11-22T10:00:00Z',
    '2026-11-22T10:00:00+02:00',
    '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    '3b241101-e2bb-4255-8caf-4136c566a962',
    null,
    undefined,
    [],
    {},
    [{ name: 'eth0' }, { name: 'eth0' }],
  ),
);

/** A record with one key (existing or not) replaced by a probe, or deleted. */
const corrupt = (record: Record<string, unknown>, keys: string[]) =>
  fc.tuple(fc.constantFrom(...keys, 'unexpected'), probe, fc.boolean()).map(([key, value, drop]) => {
    const copy = { ...record };
    if (drop) delete copy[key];
    else copy[key] = value;
    return copy;
  });

const sameResult = (compiled: z.ZodType, reference: z.ZodType, input: unknown) => {
  const fast = compiled.safeParse(input);
  const slow = reference.safeParse(input);
  expect(fast.success).toBe(slow.success);
  if (fast.success && slow.success) expect(fast.data).toEqual(slow.data);
  else expect(fast.error?.issues).toEqual(slow.error?.issues);
};

describe('compiled contract schemas', () => {
  it('every payload schema and the envelope compile (none falls back to the interpreter)', () => {
    for (const type of EVENT_TYPES)
      expect(() => z.compile(interpreted(type), { strict: true })).not.toThrow();
    expect(() => z.compile(InterpretedEnvelopeSchema, { strict: true })).not.toThrow();
  });

  it('parse every valid and corrupted payload exactly as the interpreter does', () => {
    const cases = fc.constantFrom(...EVENT_TYPES).chain((type) =>
      payloads[type].chain((payload) => {
        const record = payload as Record<string, unknown>;
        const keys = Object.keys(interpreted(type).shape);
        return fc.tuple(fc.constant(type), fc.oneof(fc.constant(record), corrupt(record, keys)));
      }),
    );
    fc.assert(
      fc.property(cases, ([type, input]) =>
        sameResult(EVENT_CATALOG[type].payload, interpreted(type), input),
      ),
      { numRuns: 2000 },
    );
  });

  it('parse every valid and corrupted envelope exactly as the interpreter does', () => {
    const keys = Object.keys(InterpretedEnvelopeSchema.shape);
    const cases = validEvent.chain((event) => {
      const record = { ...event } as Record<string, unknown>;
      return fc.oneof(fc.constant(record), corrupt(record, keys));
    });
    fc.assert(
      fc.property(cases, (input) => sameResult(EnvelopeSchema, InterpretedEnvelopeSchema, input)),
      { numRuns: 1000 },
    );
  });
});
