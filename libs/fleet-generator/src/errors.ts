/** Codes of the errors the fleet generator raises. */
export type FleetGeneratorErrorCode = 'INVALID_OPTIONS' | 'ADDRESS_SPACE_EXHAUSTED';

/** Base error of the fleet generator: a stable `code` plus a message a person can act on. */
export class FleetGeneratorError extends Error {
  override readonly name = 'FleetGeneratorError';
  constructor(
    readonly code: FleetGeneratorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isFleetGeneratorError = (e: unknown): e is FleetGeneratorError =>
  e instanceof FleetGeneratorError;
