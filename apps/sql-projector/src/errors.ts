import { isTransientError, TransientError } from '@cim/projection-kit';

/** Codes of the errors the SQL projector raises. */
export type SqlProjectorErrorCode =
  | 'MIGRATION_FAILED'
  | 'INVALID_OPTIONS'
  | 'UNKNOWN_REPORT'
  | 'UNKNOWN_RESOURCE'
  | 'READ_MODEL_MISSING'
  | 'STORE_LOCKED'
  | 'UNSUPPORTED_PARAMETER';

/** Base error of the SQL projector. */
export class SqlProjectorError extends Error {
  override readonly name = 'SqlProjectorError';
  constructor(
    readonly code: SqlProjectorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isSqlProjectorError = (e: unknown): e is SqlProjectorError => e instanceof SqlProjectorError;

/** SQLSTATE classes that mean "the server or link is unavailable", not "this statement is wrong". */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53', '57', '58', '40']);

const DRIVER_LOST_CONNECTION =
  /Connection terminated|connection (error|closed|reset|refused)|Client has encountered a connection error|timeout exceeded when trying to connect|Cannot use a pool after calling end|Client was closed/i;

/**
 * Maps a store failure to what the kit should do with it: outages (lost connection, server
 * shutting down, too many connections, serialization failures) become {@link TransientError} so the
 * batch is retried and never dead-lettered; every other error (a constraint an event violates, a
 * bad value) is returned as is, deterministic, and ends in the DLQ after the kit's retries.
 */
export const classifyStoreError = (error: unknown): unknown => {
  if (error instanceof TransientError) return error;
  const e = error as { code?: unknown; errno?: unknown; syscall?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const sqlState = code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const transient = sqlState
    ? TRANSIENT_SQLSTATE_CLASSES.has(sqlState.slice(0, 2))
    : e?.syscall !== undefined || DRIVER_LOST_CONNECTION.test(message) || isTransientError(error);
  return transient ? new TransientError(`PostgreSQL unavailable: ${message}`, { cause: error }) : error;
};
