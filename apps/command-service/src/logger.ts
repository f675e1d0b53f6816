import { type Logger, pino } from 'pino';

/** The service's one pino logger: JSON lines on stdout (or `destination`), named `command-service`. */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  return pino({ name: 'command-service', level }, destination);
}
