import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { appNodeOptions } from '@cim/projection-kit';

/** A projector app run as its own process, as operators run it. */
export interface ProjectorProcess {
  app: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** How app processes start. */
export interface Launch {
  /**
   * Compiled JavaScript (`apps/{app}/dist/main.js`, as containers and NixOS run it), or the
   * TypeScript source through tsx (as `npm start` and the tests do; ~40 MB more per process).
   */
  compiled: boolean;
  /** Before the script (e.g. `--cpu-prof`, which NODE_OPTIONS does not allow). */
  nodeArgs: readonly string[];
}

/** The node arguments that run an app under `launch`; fails clearly when the build is missing. */
const appArgs = (root: string, app: string, launch: Launch): string[] => {
  // The app's own options first (as every launcher runs it); the run's extra options may override them.
  const own = appNodeOptions(join(root, 'apps', app));
  if (!launch.compiled)
    return [
      ...own,
      ...launch.nodeArgs,
      '--conditions=@cim/source',
      '--import',
      'tsx',
      join(root, 'apps', app, 'src', 'main.ts'),
    ];
  const main = join(root, 'apps', app, 'dist', 'main.js');
  if (!existsSync(main))
    throw new Error(
      `${main} is missing: run \`npm run build\` first (\`npm run bench\` does), or use --from-source`,
    );
  return [...own, ...launch.nodeArgs, main];
};

/** Starts an app with the given environment; its output goes to `logFile`. */
export const startProjectorProcess = (
  root: string,
  app: string,
  env: Record<string, string>,
  logFile: string,
  launch: Launch,
): ProjectorProcess => {
  const child = spawn(process.execPath, appArgs(root, app, launch), {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
