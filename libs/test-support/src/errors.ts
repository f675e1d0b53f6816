/** Codes of the errors the test fixtures raise. */
export type TestSupportErrorCode =
  | 'SERVICE_UNREACHABLE'
  | 'JETSTREAM_DISABLED'
  | 'BINARY_MISSING'
  | 'SERVER_START_FAILED'
  | 'WAIT_TIMEOUT';

/** Base error of the test fixtures: a stable `code` plus a message that says how to fix the setup. */
export class TestSupportError extends Error {
  override readonly name = 'TestSupportError';
  constructor(
    readonly code: TestSupportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isTestSupportError = (e: unknown): e is TestSupportError => e instanceof TestSupportError;
