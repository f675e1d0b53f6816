import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One process the supervisor runs. */
export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export interface SupervisorOptions {
  /** Where prefixed log lines go. @default process.stdout */
  out?: NodeJS.WritableStream;
  /** Restart backoff bounds. @default 500 ms .. 30 s */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A process that ran this long counts as healthy again: its backoff resets. @default 60 s */
  healthyAfterMs?: number;
  /** Time to wait after SIGTERM before SIGKILL. @default 15 s */
  stopTimeoutMs?: number;
  /** Print raw JSON instead of `level msg` lines. @default false */
  rawLogs?: boolean;
}

interface Running {
  spec: ServiceSpec;
  child: ChildProcess | null;
  restarts: number;
  startedAt: number;
  timer: NodeJS.Timeout | null;
  exited: Promise<void>;
}

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** Formats one pino JSON line as `time level msg key=value…`; other lines pass through. */
export const formatLogLine = (line: string): string => {
  if (!line.startsWith('{')) return line;
  try {
    const {
      level,
      time,
      msg,
      pid: _pid,
      hostname: _h,
      projector: _p,
      name: _n,
      ...rest
    } = JSON.parse(line) as Record<string, unknown>;
    const at = typeof time === 'number' ? new Date(time).toISOString().slice(11, 19) : '';
    const extra = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `${at} ${(LEVELS[level as number] ?? String(level)).padEnd(5)} ${msg ?? ''}${extra ? `  ${extra}` : ''}`;
  } catch {
    return line;
  }
};

/**
 * Runs a set of processes: prefixes their logs with their name, restarts a crashed one with
 * exponential backoff, and stops them all with SIGTERM (then SIGKILL after a timeout).
 */
export class Supervisor {
  private readonly running = new Map<string, Running>();
  private stopping = false;
  private readonly width: number;

  constructor(
    private readonly specs: readonly ServiceSpec[],
    private readonly options: SupervisorOptions = {},
  ) {
    this.width = Math.max(...specs.map((s) => s.name.length), 4);
  }

  start(): void {
    for (const spec of this.specs) this.launch(spec, 0);
  }

  /** Process ids of the running children (for tests that check nothing is left behind). */
  pids(): number[] {
    return [...this.running.values()].flatMap((r) => (r.child?.pid !== undefined ? [r.child.pid] : []));
  }

  restartsOf(name: string): number {
    return this.running.get(name)?.restarts ?? 0;
  }

  private write(name: string, line: string): void {
    const out = this.options.out ?? process.stdout;
    out.write(`${name.padEnd(this.width)} | ${this.options.rawLogs ? line : formatLogLine(line)}\n`);
  }

  private launch(spec: ServiceSpec, restarts: number): void {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const entry: Running = { spec, child, restarts, startedAt: Date.now(), timer: null, exited };
    this.running.set(spec.name, entry);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => this.write(spec.name, line));
    }
    child.once('error', (e) => this.write(spec.name, `failed to start: ${e.message}`));
    child.once('exit', (code, signal) => {
      entry.child = null;
      if (this.stopping) return;
      const ranMs = Date.now() - entry.startedAt;
      const next = ranMs > (this.options.healthyAfterMs ?? 60_000) ? 0 : restarts + 1;
      const delay = Math.min(
        this.options.maxBackoffMs ?? 30_000,
        (this.options.minBackoffMs ?? 500) * 2 ** next,
      );
      this.write(spec.name, `exited (${signal ?? code}); restarting in ${(delay / 1000).toFixed(1)} s`);
      entry.timer = setTimeout(() => this.launch(spec, next), delay);
      entry.restarts = next;
    });
  }

  /** Sends SIGTERM to every child, waits for them (SIGKILL after the timeout), cancels restarts. */
  async stop(): Promise<void> {
    this.stopping = true;
    const timeout = this.options.stopTimeoutMs ?? 15_000;
    await Promise.all(
      [...this.running.values()].map(async (r) => {
        if (r.timer) clearTimeout(r.timer);
        const child = r.child;
        if (!child) return;
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), timeout);
        await r.exited;
        clearTimeout(killer);
      }),
    );
  }
}
