/**
 * A real Prometheus (Debian's binary) for integration tests: free loopback port, temp data
 * directory, stopped and removed at the end; killed with its folder however the test process ends.
 * Test fixture only (reads PROMETHEUS_BIN / PROMTOOL_BIN).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN || '/usr/bin/prometheus';
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN || '/usr/bin/promtool';

/** One element of an instant vector from `/api/v1/query`. */
export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PrometheusServer {
  url: string;
  dataDir: string;
  /** Instant query; throws with Prometheus' error text when the query fails. */
  query(expr: string, timeSeconds?: number): Promise<VectorSample[]>;
  stop(): Promise<void>;
}

/** Runs promtool; resolves with its exit code and output (never rejects on a non-zero exit). */
export const promtool = (args: string[]): Promise<{ code: number; output: string }> =>
  new Promise((resolve) => {
    execFile(PROMTOOL_BIN, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });

// The server runs under sh, which kills it when our stdin pipe closes: vitest ends workers with a
// signal, so no exit hook would run, but the pipe closes however this process ends.
const SUPERVISOR = `
exec 3<&0
"$@" </dev/null 3<&- &
server=$!
( while read -r _ <&3; do :; done; kill "$server" 2>/dev/null ) &
watcher=$!
wait "$server"; code=$?
kill "$watcher" 2>/dev/null
exit "$code"
`;

/**
 * Starts Prometheus with `config` (YAML text; `rule_files` paths must be absolute) on a fresh or
 * given data directory and waits until `/-/ready` answers.
 */
export const startPrometheus = async (options: {
  config: string;
  dataDir?: string;
  startTimeoutMs?: number;
}): Promise<PrometheusServer> => {
  const dir = await mkdtemp(join(tmpdir(), 'cim-prom-'));
  const dataDir = options.dataDir ?? join(dir, 'data');
  const configFile = join(dir, 'prometheus.yml');
  const log = join(dir, 'prometheus.log');
  await writeFile(configFile, options.config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    PROMETHEUS_BIN,
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--storage.tsdb.retention.time=100y',
    '--log.level=warn',
  ];
  const logFd = openSync(log, 'a');
  const child: ChildProcess = spawn('/bin/sh', ['-c', SUPERVISOR, 'prom-supervisor', ...args], {
    stdio: ['pipe', 'ignore', logFd],
    detached: true,
  });
  closeSync(logFd);
  child.unref();
  (child.stdin as Socket | null)?.unref();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.stdin?.end();
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null) {
      const text = await readFile(log, 'utf8').catch(() => '');
      await stop();
      throw new Error(`prometheus exited (${child.exitCode}):\n${text.slice(-3000)}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready on ${url} in time`);
    }
    await sleep(100);
  }
  const query = async (expr: string, timeSeconds?: number) => {
    const params = new URLSearchParams({ query: expr });
    if (timeSeconds !== undefined) params.set('time', String(timeSeconds));
    const res = await fetch(`${url}/api/v1/query?${params}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data?: { resultType: string; result: unknown };
    };
    if (body.status !== 'success') throw new Error(`query failed: ${expr}: ${body.error}`);
    const { resultType, result } = body.data!;
    if (resultType === 'scalar') return [{ metric: {}, value: result as [number, string] }];
    return result as VectorSample[];
  };
  return { url, dataDir, query, stop };
};
