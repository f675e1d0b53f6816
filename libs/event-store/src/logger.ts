/**
 * The logger the event store reports through: a subset of pino's API (`logger.warn({ stream }, 'msg')`),
 * so an app passes its pino logger, or a `child()` of it, as is.
 */
export interface EventStoreLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const noop = (): void => {};

/** The default logger: says nothing. */
export const silentLogger: EventStoreLogger = { debug: noop, info: noop, warn: noop, error: noop };
