/** Exponential backoff with full jitter, capped. */
export interface BackoffOptions {
  /** @default 100 */
  initialMs?: number;
  /** @default 10_000 */
  maxMs?: number;
}

export const backoffDelay = (
  attempt: number,
  { initialMs = 100, maxMs = 10_000 }: BackoffOptions = {},
): number => Math.round(Math.random() * Math.min(maxMs, initialMs * 2 ** attempt));

/** Resolves after `ms`, or early when the signal aborts. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
