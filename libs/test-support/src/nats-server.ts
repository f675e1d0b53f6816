import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { TestSupportError } from './errors.js';
import { reachService } from './reach-service.js';

/** The NATS server every developer and CI machine runs (Debian's nats-server, 2.9.10 on bookworm). */
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** The command that starts the machine's NATS server with JetStream when it is not running. */
export const NATS_START_COMMAND =
  'start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- ' +
  '-a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log';

/** Run from the repo root, unpacks the newest nats-server Debian carries where {@link startNewestNats} looks. */
export const NEWEST_NATS_UNPACK_COMMAND = '../shared/tools/newest-debian-pkg nats-server .cache/nats-new';

/** Where, relative to the repo root, {@link startNewestNats} expects the newest nats-server binary. */
export const NEWEST_NATS_BINARY = '.cache/nats-new/usr/sbin/nats-server';

/** A NATS server with JetStream that answered. */
export interface ReachedNats {
  /** URL to pass to `connect({ servers })`. */
  url: string;
  /** The server's version as it reports it, e.g. `2.9.10`. */
  version: string;
}

/** One NATS server the event-store and kit integration tests run against. */
export interface NatsTarget extends ReachedNats {
  /** `debian`: the machine's server (`NATS_URL` or {@link DEFAULT_NATS_URL}); `newest`: see {@link startNewestNats}. */
  name: 'debian' | 'newest';
}

/** A nats-server child process started by {@link startNewestNats}. */
export interface NewestNats extends ReachedNats {
  /** Its JetStream storage folder (with `nats-server.log`), removed when it stops. */
  storeDir: string;
  /** Kills the server and removes its storage folder (unless the caller gave it). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Connects to `url` and checks the server has JetStream. If nothing answers there and a Docker engine
 * does, starts `nats:2.10-alpine -js` with testcontainers instead (removed when the process ends);
 * otherwise throws a `TestSupportError` (`SERVICE_UNREACHABLE`) naming the URL and
 * {@link NATS_START_COMMAND}. A server without JetStream throws `JETSTREAM_DISABLED`.
 */
export async function reachNats(url: string): Promise<ReachedNats> {
  const reached = await reachService({
    service: 'NATS',
    url,
    probe: probeNats,
    startContainer: startNatsContainer,
    howToStart: `Start it with \`${NATS_START_COMMAND}\`, or set NATS_URL to a NATS server with JetStream.`,
  });
  return { url: reached.url, version: reached.value };
}

let targets: Promise<NatsTarget[]> | undefined;

/**
 * The NATS servers the event-store and kit integration tests must pass on: the machine's server
 * (env `NATS_URL`, else {@link DEFAULT_NATS_URL}, reached with {@link reachNats}) and the newest
 * release Debian carries ({@link startNewestNats}). Started once per test file (module instance); the
 * newest server is killed when the test process ends. Use with top-level await:
 * `describe.each(await natsTargets())('on $name NATS $version', ({ url }) => ...)`.
 */
export function natsTargets(): Promise<NatsTarget[]> {
  targets ??= (async () => {
    const debian = await reachNats(process.env.NATS_URL || DEFAULT_NATS_URL);
    const newest = await startNewestNats();
    return [
      { name: 'debian', url: debian.url, version: debian.version },
      { name: 'newest', url: newest.url, version: newest.version },
    ];
  })();
  return targets;
}

/**
 * Starts the newest nats-server Debian carries ({@link NEWEST_NATS_BINARY} under the repo root) as a
 * child process: `-js -a 127.0.0.1 -p <free port> -sd <fresh temp folder>`, and resolves once a
 * client connects (within `startTimeoutMs`, default 15000). The server is also killed, and its folder
 * removed, when this process ends, however it ends. If the binary is missing it throws a
 * `TestSupportError` (`BINARY_MISSING`) that says to run {@link NEWEST_NATS_UNPACK_COMMAND}: tests
 * must fail, never skip.
 */
export async function startNewestNats(
  options: {
    startTimeoutMs?: number;
    /** Listen here instead of a free port (to restart a server where its clients expect it). */
    port?: number;
    /** Use (and keep on stop) this storage folder, so a restarted server finds its streams again. */
    storeDir?: string;
  } = {},
): Promise<NewestNats> {
  const binary = newestNatsBinary();
  // A free port can be taken between our probe and the server's bind; try a few.
  for (let attempt = 1; ; attempt++) {
    const server = await spawnNats(binary, options.port ?? (await freePort()), options.storeDir);
    try {
      const version = await waitUntilReady(server, options.startTimeoutMs ?? 15_000);
      return { url: server.url, version, storeDir: server.storeDir, stop: server.stop };
    } catch (error) {
      await server.stop();
      const portTaken = error instanceof TestSupportError && /address already in use/i.test(error.message);
      if (!portTaken || attempt === 3 || options.port !== undefined) throw error;
    }
  }
}

async function probeNats(url: string): Promise<string> {
  const nc = await connect({ servers: url, reconnect: false, timeout: 3_000 });
  try {
    const info = nc.info;
    if (!info?.jetstream) {
      throw new TestSupportError(
        'JETSTREAM_DISABLED',
        `the NATS server at ${url} runs without JetStream; restart it with -js (${NATS_START_COMMAND})`,
      );
    }
    return info.version;
  } finally {
    await nc.close();
  }
}

async function startNatsContainer(): Promise<string> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('nats:2.10-alpine')
    .withCommand(['-js'])
    .withExposedPorts(4222)
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .start();
  return `nats://${container.getHost()}:${container.getMappedPort(4222)}`;
}

function newestNatsBinary(): string {
  const root = repoRoot();
  const binary = join(root, NEWEST_NATS_BINARY);
  try {
    accessSync(binary, constants.X_OK);
  } catch (error) {
    throw new TestSupportError(
      'BINARY_MISSING',
      `the newest nats-server is missing at ${binary}. Unpack it from the repo root (${root}) with ` +
        `\`${NEWEST_NATS_UNPACK_COMMAND}\` (bash .ci/run does this too).`,
      { cause: error },
    );
  }
  return binary;
}

/** The workspace root: the nearest folder above this file whose package.json declares workspaces. */
function repoRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && 'workspaces' in JSON.parse(readFileSync(manifest, 'utf8'))) return dir;
    if (dirname(dir) === dir)
      throw new Error(`no workspace root (package.json with workspaces) above ${start}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

interface SpawnedNats {
  url: string;
  storeDir: string;
  child: ChildProcess;
  log: string;
  spawnError?: Error;
  stop(): Promise<void>;
}

/**
 * Runs nats-server under a small sh supervisor whose stdin is a pipe from this process. Vitest ends
 * its workers with a signal, so no `exit` hook of ours runs; the pipe, though, reaches EOF however
 * this process ends, and then the supervisor kills the server and removes its storage folder.
 */
const SUPERVISOR = `
store=$1; keep=$2; shift 2
exec 3<&0
"$@" </dev/null 3<&- &
server=$!
( while read -r _ <&3; do :; done; kill "$server" 2>/dev/null ) &
watcher=$!
wait "$server"; code=$?
kill "$watcher" 2>/dev/null
[ "$keep" = keep ] || rm -rf "$store"
exit "$code"
`;

async function spawnNats(binary: string, port: number, givenStoreDir?: string): Promise<SpawnedNats> {
  const storeDir = givenStoreDir ?? (await mkdtemp(join(tmpdir(), 'cim-nats-')));
  await mkdir(storeDir, { recursive: true });
  const keep = givenStoreDir === undefined ? 'remove' : 'keep';
  const log = join(storeDir, 'nats-server.log');
  const args = [binary, '-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir, '-l', log];
  // detached: its own process group, so a stuck server can be killed along with its supervisor.
  const child = spawn('/bin/sh', ['-c', SUPERVISOR, 'nats-supervisor', storeDir, keep, ...args], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  // Neither the child nor its pipe may keep this process alive.
  child.unref();
  (child.stdin as Socket | null)?.unref();
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    // Without a listener a failed spawn would crash the test process instead of failing the start.
    child.once('error', (error) => {
      spawned.spawnError = error;
      resolve();
    });
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      child.stdin?.end(); // the supervisor stops the server and removes its folder
      const timer = setTimeout(() => killGroup(child), 5_000);
      await exited;
      clearTimeout(timer);
      if (keep === 'remove') await rm(storeDir, { recursive: true, force: true });
    })();
    return stopped;
  };
  const spawned: SpawnedNats = { url: `nats://127.0.0.1:${port}`, storeDir, child, log, stop };
  return spawned;
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function waitUntilReady(server: SpawnedNats, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const { child, spawnError } = server;
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      throw new TestSupportError(
        'SERVER_START_FAILED',
        `nats-server ${spawnError ? `could not start (${spawnError.message})` : `exited (${child.exitCode ?? child.signalCode})`} ` +
          `before accepting connections on ${server.url}; its log:\n${await logTail(server.log)}`,
        { cause: spawnError },
      );
    }
    try {
      return await probeNats(server.url);
    } catch (error) {
      if (error instanceof TestSupportError) throw error;
      lastError = error;
    }
    await sleep(50);
  }
  throw new TestSupportError(
    'SERVER_START_FAILED',
    `nats-server did not accept connections on ${server.url} within ${timeoutMs} ms; its log:\n` +
      (await logTail(server.log)),
    { cause: lastError },
  );
}

async function logTail(log: string): Promise<string> {
  const text = await readFile(log, 'utf8').catch(() => '(no log written)');
  return text.split('\n').slice(-20).join('\n');
}
