import { describe, expect, it } from 'vitest';
import { isTestSupportError } from './errors.js';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('returns the first truthy value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  it('treats a throw as not yet, so eventual assertions can use expect', async () => {
    let calls = 0;
    await expect(
      waitFor(
        () => {
          calls++;
          expect(calls).toBe(4);
          return true;
        },
        { intervalMs: 1 },
      ),
    ).resolves.toBe(true);
  });

  it('times out with the message and the last value', async () => {
    const error = await waitFor(async () => 0, {
      timeoutMs: 30,
      intervalMs: 5,
      message: 'the projection',
    }).catch((e: unknown) => e);
    expect(isTestSupportError(error) && error.code).toBe('WAIT_TIMEOUT');
    expect((error as Error).message).toMatch(
      /timed out after 30 ms waiting for the projection; last value: 0/,
    );
  });

  it('times out with the last error as cause', async () => {
    const boom = new Error('not projected yet');
    const error = await waitFor(
      () => {
        throw boom;
      },
      { timeoutMs: 20, intervalMs: 5 },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toContain('last error: not projected yet');
    expect((error as Error).cause).toBe(boom);
  });
});
