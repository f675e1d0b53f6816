import type { CommandErrorCode, CommandRejection } from '@cim/contract';

/** Codes of the errors the command service raises (as opposed to the rejections it replies with). */
export type CommandServiceErrorCode = 'INVALID_CONFIG' | 'STREAM_UNAVAILABLE' | 'NOT_RUNNING';

/** Base error of the command service: a stable `code` plus a message a person can act on. */
export class CommandServiceError extends Error {
  override readonly name = 'CommandServiceError';
  constructor(
    readonly code: CommandServiceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isCommandServiceError = (e: unknown): e is CommandServiceError =>
  e instanceof CommandServiceError;

/** A typed rejection; expected outcomes are returned as values, never thrown. */
export const reject = (
  code: CommandErrorCode,
  message: string,
): { ok: false; rejection: CommandRejection } => ({
  ok: false,
  rejection: { code, message },
});
