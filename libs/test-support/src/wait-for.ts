import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { TestSupportError } from './errors.js';

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this many milliseconds. Default {@link DEFAULT_WAIT_FOR_OPTIONS}: 5000. */
  timeoutMs?: number;
  /** Pause between attempts in milliseconds. Default 50. */
  intervalMs?: number;
  /** What was awaited, for the timeout error. Default `'condition'`. */
  message?: string;
}

/** Defaults of {@link waitFor}. */
export const DEFAULT_WAIT_FOR_OPTIONS: Required<WaitForOptions> = {
  timeoutMs: 5_000,
  intervalMs: 50,
  message: 'condition',
};

/**
 * Calls `fn` until it returns (or resolves to) a truthy value and returns that value: the eventual
 * assertion for projections and consumers. A throw counts as "not yet", so `fn` may hold `expect`s.
 * On timeout throws a {@link TestSupportError} (`WAIT_TIMEOUT`) naming `message` and the last value
 * or error; the last error is also its `cause`.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, options: WaitForOptions = {}): Promise<T> {
  const { timeoutMs, intervalMs, message } = { ...DEFAULT_WAIT_FOR_OPTIONS, ...options };
  const deadline = Date.now() + timeoutMs;
  let last: { value: unknown } | { error: unknown } = { value: undefined };
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  const seen =
    'error' in last
      ? `last error: ${last.error instanceof Error ? last.error.message : inspect(last.error)}`
      : `last value: ${inspect(last.value, { depth: 4 })}`;
  throw new TestSupportError(
    'WAIT_TIMEOUT',
    `timed out after ${timeoutMs} ms waiting for ${message}; ${seen}`,
    {
      cause: 'error' in last ? last.error : undefined,
    },
  );
}
