/**
 * Why the CLI failed, and the exit code each reason gives:
 * - 2 `INVALID_INPUT`: bad flags or values, or a command refers to something that does not exist
 *   (unknown resource); nothing was published.
 * - 1 `REJECTED`: the command service refused a valid command because of the current state
 *   (duplicate hostname, already connected, decommissioned, version conflict).
 * - 3 `UNAVAILABLE`: NATS is unreachable, no command service answers, or the stream is missing.
 * - 1 `FAILED`: anything else.
 */
export type CliErrorCode = 'INVALID_INPUT' | 'REJECTED' | 'UNAVAILABLE' | 'FAILED';

export const EXIT_CODES: Readonly<Record<CliErrorCode, number>> = {
  INVALID_INPUT: 2,
  REJECTED: 1,
  UNAVAILABLE: 3,
  FAILED: 1,
};

/** An error the CLI reports as one line on stderr, exiting with {@link EXIT_CODES}[code]. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: CliErrorCode,
    message: string,
    options?: { cause?: unknown; details?: unknown },
  ) {
    super(message, options);
    this.details = options?.details;
  }
  /** What `--json` prints for this error (e.g. the service's reply). */
  readonly details: unknown;
}

export const isCliError = (e: unknown): e is CliError => e instanceof CliError;
