/** Codes of the errors discovery raises. */
export const DISCOVERY_ERROR_CODES = [
  /** No command service subscribes to the command subjects (NATS "no responders"). */
  'COMMAND_SERVICE_UNAVAILABLE',
  /** The command service took longer than the request timeout to answer. */
  'COMMAND_TIMEOUT',
  /** The command service answered with something that is not a CommandReply. */
  'INVALID_REPLY',
  /** The machine's facts cannot be turned into valid commands (e.g. an RFC 1123-invalid hostname). */
  'INVALID_FACTS',
  /** A state fold was asked to continue for another hostname. */
  'INVALID_OPTIONS',
] as const;
export type DiscoveryErrorCode = (typeof DISCOVERY_ERROR_CODES)[number];

/** Base error of @cim/discovery: a stable `code` and a message that says what to do. */
export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
  constructor(
    readonly code: DiscoveryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for errors raised by @cim/discovery. */
export const isDiscoveryError = (e: unknown): e is DiscoveryError => e instanceof DiscoveryError;

/** The message of anything thrown. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
