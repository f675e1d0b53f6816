import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anySubjectMatcher, filtersOverlap, subjectMatches } from './subject-filter.js';

describe('subjectMatches', () => {
  it.each([
    ['infrastructure.>', 'infrastructure.compute.registered', true],
    ['infrastructure.>', 'infrastructure', false],
    ['infrastructure.compute.>', 'infrastructure.compute.registered', true],
    ['infrastructure.compute.>', 'infrastructure.network.defined', false],
    ['infrastructure.*.registered', 'infrastructure.compute.registered', true],
    ['infrastructure.*.registered', 'infrastructure.compute.updated', false],
    ['infrastructure.*', 'infrastructure.compute.registered', false],
    ['infrastructure.compute.registered', 'infrastructure.compute.registered', true],
    ['infrastructure.compute', 'infrastructure.compute.registered', false],
    ['>', 'a', true],
  ])('%s matches %s: %s', (filter, subject, expected) => {
    expect(subjectMatches(filter, subject)).toBe(expected);
  });

  it('anySubjectMatcher matches when one filter does', () => {
    const m = anySubjectMatcher(['r.compute.>', 'r.network.defined']);
    expect([m('r.compute.updated'), m('r.network.defined'), m('r.network.removed')]).toEqual([
      true,
      true,
      false,
    ]);
  });
});

const token = fc.constantFrom('a', 'b', 'c');
const subject = fc.array(token, { minLength: 1, maxLength: 4 }).map((t) => t.join('.'));
const filter = fc
  .tuple(
    fc.array(fc.constantFrom('a', 'b', '*'), { minLength: 0, maxLength: 3 }),
    fc.constantFrom('', '*', '>', 'a'),
  )
  .map(([head, tail]) => [...head, ...(tail ? [tail] : [])].join('.'))
  .filter((f) => f !== '');

describe('filtersOverlap', () => {
  it.each([
    ['r.compute.>', 'r.network.>', false],
    ['r.>', 'r.compute.>', true],
    ['r.*.registered', 'r.compute.>', true],
    ['r.*.registered', 'r.compute.updated', false],
    ['r.compute', 'r.compute.>', false],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(filtersOverlap(a, b)).toBe(expected);
    expect(filtersOverlap(b, a)).toBe(expected);
  });

  it('is true whenever one subject matches both filters', () => {
    fc.assert(
      fc.property(filter, filter, subject, (a, b, s) => {
        if (subjectMatches(a, s) && subjectMatches(b, s)) expect(filtersOverlap(a, b)).toBe(true);
      }),
    );
  });

  it('is symmetric', () => {
    fc.assert(fc.property(filter, filter, (a, b) => filtersOverlap(a, b) === filtersOverlap(b, a)));
  });
});
