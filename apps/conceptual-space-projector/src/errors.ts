/** Codes of the errors the conceptual-space projector throws (query failures are replies, not throws). */
export type SpaceErrorCode = 'INVALID_CONFIG' | 'MIGRATION_FAILED' | 'INVALID_DATA' | 'NO_RESPONDER';

/** Base error of the conceptual-space projector. */
export class SpaceError extends Error {
  override readonly name = 'SpaceError';
  constructor(
    readonly code: SpaceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isSpaceError = (e: unknown): e is SpaceError => e instanceof SpaceError;
