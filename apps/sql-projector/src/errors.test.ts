import { isTransientError } from '@cim/projection-kit';
import { describe, expect, it } from 'vitest';
import { classifyStoreError } from './errors.js';

const withCode = (message: string, fields: Record<string, unknown>) =>
  Object.assign(new Error(message), fields);

describe('classifyStoreError', () => {
  it('turns outages into transient errors the kit retries', () => {
    for (const error of [
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      withCode('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED', syscall: 'connect' }),
      withCode('terminating connection due to administrator command', { code: '57P01' }),
      withCode('sorry, too many clients already', { code: '53300' }),
      withCode('could not serialize access', { code: '40001' }),
    ]) {
      const classified = classifyStoreError(error);
      expect(isTransientError(classified), error.message).toBe(true);
      expect((classified as Error).cause).toBe(error);
    }
  });

  it('leaves deterministic failures as they are, so the event ends in the DLQ', () => {
    for (const error of [
      withCode('insert or update violates foreign key constraint', { code: '23503' }),
      withCode('invalid input syntax for type uuid', { code: '22P02' }),
      new TypeError('a bug'),
    ])
      expect(classifyStoreError(error)).toBe(error);
  });
});
