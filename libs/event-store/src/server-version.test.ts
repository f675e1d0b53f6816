import { describe, expect, it } from 'vitest';
import { versionAtLeast } from './server-version.js';

describe('versionAtLeast', () => {
  it.each([
    ['2.9.10', '2.10.0', false],
    ['2.10.0', '2.10.0', true],
    ['2.15.1', '2.10.0', true],
    ['2.10.0-RC.1', '2.10.0', true],
    ['3.0.0', '2.10.0', true],
    ['2.9', '2.9.0', true],
    [undefined, '2.9.0', false],
  ])('%s >= %s: %s', (version, min, expected) => {
    expect(versionAtLeast(version, min)).toBe(expected);
  });
});
