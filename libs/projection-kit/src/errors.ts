/** Codes of the errors the projection kit raises. */
export type ProjectionErrorCode =
  | 'TRANSIENT'
  | 'CONSUMER_SETUP_FAILED'
  | 'NOT_RUNNING'
  | 'REBUILD_IN_PROGRESS'
  | 'CHECKPOINT_MOVED'
  | 'INVALID_LAUNCH_CONFIG';

/** Base error of the projection kit. */
export class ProjectionError extends Error {
  override readonly name: string = 'ProjectionError';
  constructor(
    readonly code: ProjectionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Thrown by an adapter (or recognised by the kit) when the store or network is unavailable: the
 * batch is retried with backoff and never dead-lettered.
 */
export class TransientError extends ProjectionError {
  override readonly name = 'TransientError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('TRANSIENT', message, options);
  }
}

/**
 * Thrown by an adapter when its store no longer holds the checkpoint the kit expects: commits were
 * lost (a crash with asynchronous commit, a failover to a lagging replica) or the store was restored
 * or emptied while the projector ran. The batch is rolled back and the kit re-positions its consumer
 * right after `stored`, so the lost events are applied again.
 */
export class CheckpointMovedError extends ProjectionError {
  override readonly name = 'CheckpointMovedError';
  constructor(
    readonly expected: number,
    readonly stored: number,
  ) {
    super('CHECKPOINT_MOVED', `store checkpoint is ${stored}, expected ${expected}`);
  }
}

export const isProjectionError = (e: unknown): e is ProjectionError => e instanceof ProjectionError;

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // PostgreSQL admin_shutdown
  '57P02',
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006', // connection_failure
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/** True for errors that say "try again later" rather than "this event is bad". */
export const isTransientError = (e: unknown): boolean => {
  if (e instanceof TransientError) return true;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  const message = e instanceof Error ? e.message : '';
  return /connection (terminated|refused|reset|closed)|timeout|Client has encountered a connection error/i.test(
    message,
  );
};
