import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileConcepts,
  conceptIndexOfType,
  DEFAULT_CONCEPTS,
  memberships,
  prototypeOf,
  seedCoordinates,
} from './concepts.js';
import { distance } from './distance.js';
import { compileDomains } from './domains.js';

const space = compileDomains();
const D = space.dimensions.length;
const point = fc.array(
  fc.option(fc.double({ min: -40, max: 40, noNaN: true }), { nil: Number.NaN, freq: 4 }),
  { minLength: D, maxLength: D },
);

describe('memberships', () => {
  it('sum to 1 across concepts and put the nearest prototype first', () => {
    fc.assert(
      fc.property(
        point,
        fc.array(point, { minLength: 1, maxLength: 9 }),
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        (p, prototypes, decay) => {
          const list = memberships(space, p, prototypes, decay);
          const total = list.reduce((s, m) => s + m.degree, 0);
          const comparable = list.filter((m) => !Number.isNaN(m.distance));
          if (comparable.length === 0) return total === 0;
          const nearest = Math.min(...comparable.map((m) => m.distance));
          return (
            Math.abs(total - 1) < 1e-9 &&
            list[0]!.distance === nearest &&
            list.every((m) => m.degree >= 0 && m.degree <= 1)
          );
        },
      ),
    );
  });

  it('give more degree to nearer prototypes', () => {
    const p = new Float64Array(D).fill(0);
    const near = new Float64Array(D).fill(0.5);
    const far = new Float64Array(D).fill(2);
    const [first, second] = memberships(space, p, [far, near], 1);
    expect(first!.concept).toBe(1);
    expect(first!.degree).toBeGreaterThan(second!.degree);
    expect(first!.degree / second!.degree).toBeCloseTo(
      Math.exp(distance(space, p, far) - distance(space, p, near)),
      9,
    );
  });

  it('do not underflow for points far from every prototype', () => {
    const p = new Float64Array(D).fill(5_000);
    const list = memberships(space, p, [new Float64Array(D), new Float64Array(D).fill(1)], 1);
    expect(list[0]!.degree + list[1]!.degree).toBeCloseTo(1, 12);
  });
});

describe('prototypes', () => {
  it('start at the seed and move to the mean of members (the seed counting as one member)', () => {
    expect(Array.from(prototypeOf([4, Number.NaN, Number.NaN], [0, 6, 0], [0, 2, 0]))).toEqual([
      4,
      3,
      Number.NaN,
    ]);
    expect(prototypeOf([4], [12], [2])[0]).toBeCloseTo((4 + 12) / 3, 12);
    expect(prototypeOf([4], [12], [2], 0)[0]).toBe(6);
  });

  it('seed in transformed units', () => {
    const vm = DEFAULT_CONCEPTS.find((c) => c.key === 'virtual_machine')!;
    const seed = seedCoordinates(space, vm);
    expect(seed[space.indexOf('cpu_cores')!]).toBeCloseTo(Math.log2(4 + 1 / 16), 12);
    expect(seed[space.indexOf('latency_ms')!]).toBeNaN();
  });
});

describe('concept configuration', () => {
  it('labels every generated resource type with exactly one concept', () => {
    const concepts = compileConcepts();
    expect(conceptIndexOfType(concepts, 'virtual_machine')).toBe(
      concepts.findIndex((c) => c.key === 'virtual_machine'),
    );
    expect(conceptIndexOfType(concepts, 'unknown')).toBe(-1);
  });

  it('rejects a type claimed by two concepts', () => {
    const [a, b] = DEFAULT_CONCEPTS;
    expect(() => compileConcepts([a!, { ...b!, types: ['physical_server'] }])).toThrow(/belongs to both/);
  });
});
