import { describe, expect, it } from 'vitest';
import { parseVariant } from './compare.js';

describe('parseVariant', () => {
  it('splits environment and node option tokens', () => {
    expect(parseVariant('MAX_BATCH=4000 --max-semi-space-size=8 LOG_LEVEL=a=b')).toEqual({
      label: 'MAX_BATCH=4000 --max-semi-space-size=8 LOG_LEVEL=a=b',
      env: { MAX_BATCH: '4000', LOG_LEVEL: 'a=b' },
      nodeArgs: ['--max-semi-space-size=8'],
    });
  });

  it('reads an empty variant as the app as deployed', () => {
    expect(parseVariant('  ')).toEqual({ label: 'as deployed', env: {}, nodeArgs: [] });
  });

  it('refuses a token that is neither, naming it', () => {
    expect(() => parseVariant('MAX_BATCH=1 4000')).toThrow(/'4000' is neither NAME=value .* nor --option/);
    expect(() => parseVariant('max_batch=1')).toThrow(/'max_batch=1'/);
  });
});
