import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

/** A projector app run as its own process, as operators run it. */
export interface ProjectorProcess {
  app: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts `apps/{app}/src/main.ts` with the given environment; its output goes to `logFile`.
 * `nodeArgs` go before the script (e.g. `--cpu-prof`, which NODE_OPTIONS does not allow).
 */
export const startProjectorProcess = (
  root: string,
  app: string,
  env: Record<string, string>,
  logFile: string,
  nodeArgs: readonly string[] = [],
): ProjectorProcess => {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--conditions=@cim/source', '--import', 'tsx', join(root, 'apps', app, 'src', 'main.ts')],
    { cwd: root, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    app,
    child,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
};
