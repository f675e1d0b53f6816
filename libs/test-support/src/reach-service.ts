import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { TestSupportError } from './errors.js';

/** The Docker engine socket checked before falling back to testcontainers. */
export const DOCKER_SOCKET_PATH = '/var/run/docker.sock';

/**
 * Whether a Docker engine answers `GET /_ping` on `socketPath` (default {@link DOCKER_SOCKET_PATH})
 * within `timeoutMs` (default 2000). The Docker client alone (`docker --version`) is not enough.
 */
export function dockerEngineReachable(socketPath = DOCKER_SOCKET_PATH, timeoutMs = 2_000): Promise<boolean> {
  if (!existsSync(socketPath)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** How {@link reachService} reaches one kind of server. */
export interface ReachServiceOptions<T> {
  /** Name for messages, e.g. `NATS`. */
  service: string;
  /** Where the server is expected (from the environment or the local default). */
  url: string;
  /** Connects to `url` and returns what the caller needs; throws if it cannot. */
  probe(url: string): Promise<T>;
  /** Starts a container of the server and returns its URL; only called when a Docker engine answers. */
  startContainer(): Promise<string>;
  /** Sentence telling a person how to make the server answer at `url`. */
  howToStart: string;
}

/**
 * Reaches a server the way integration tests must (ARCHITECTURE §6): the given URL first, then,
 * only if nothing answers there and a Docker engine does, a testcontainers container. Otherwise it
 * fails loudly with a {@link TestSupportError} (`SERVICE_UNREACHABLE`) that names the URL and says
 * how to start the server. A server that answers but refuses (e.g. bad credentials) is an error as
 * it is, never a reason to start a container.
 */
export async function reachService<T>(options: ReachServiceOptions<T>): Promise<{ url: string; value: T }> {
  const { service, url, probe, startContainer, howToStart } = options;
  try {
    return { url, value: await probe(url) };
  } catch (error) {
    if (!isUnreachable(error)) throw error;
    if (await dockerEngineReachable()) {
      const containerUrl = await startContainer();
      return { url: containerUrl, value: await probe(containerUrl) };
    }
    throw new TestSupportError(
      'SERVICE_UNREACHABLE',
      `${service} is unreachable at ${redactUrl(url)} (${messageOf(error)}) and no Docker engine answers on ` +
        `${DOCKER_SOCKET_PATH} for a testcontainers fallback. ${howToStart}`,
      { cause: error },
    );
  }
}

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
]);

/** Whether `error` means nothing answered, as opposed to a server that answered and refused. */
function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
  if (NETWORK_ERROR_CODES.has(String(code)) || NETWORK_ERROR_CODES.has(String(causeCode))) return true;
  // nats.js reports refused and timed-out connections with these; pg reports its connect timeout in text.
  return (
    error.name === 'ConnectionError' ||
    error.name === 'TimeoutError' ||
    /timeout expired|connection terminated unexpectedly/i.test(error.message)
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `url` with any password replaced by `***`, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
