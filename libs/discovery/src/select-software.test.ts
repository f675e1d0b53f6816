import { describe, expect, it } from 'vitest';
import { allowlisted } from './select-software.js';

describe('allowlisted', () => {
  const nginx = { manager: 'dpkg', name: 'nginx', version: '1' } as const;
  const ts = { manager: 'npm', name: 'typescript', version: '5' } as const;
  it.each<[string, typeof nginx | typeof ts, boolean]>([
    ['nginx', nginx, true],
    ['dpkg:nginx', nginx, true],
    ['npm:nginx', nginx, false],
    ['ngi*', nginx, true],
    ['npm:*', ts, true],
    ['npm:*', nginx, false],
    ['type.cript', ts, false],
    ['*', ts, true],
  ])('%s matches %o: %s', (pattern, software, expected) => {
    expect(allowlisted(software, [pattern])).toBe(expected);
  });
});
