import { execFile } from 'node:child_process';

/** What a finished command printed; `code` is its exit status (0 = success). */
export interface CommandOutput {
  stdout: string;
  stderr: string;
  code: number;
}

/** Default time a package-manager command may run. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

/**
 * Runs `file args` without a shell and resolves with its output even on a non-zero exit: `dpkg-query -S`
 * exits 1 when one of several paths is unknown and `npm ls` when a global package is extraneous, yet
 * both print what they know. Resolves `undefined` when the command is not installed (ENOENT); other
 * failures (timeout, signal) reject.
 */
export function runCommand(
  file: string,
  args: readonly string[],
  timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
): Promise<CommandOutput | undefined> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr, code: 0 });
        const { code, killed, signal } = error as NodeJS.ErrnoException & {
          killed?: boolean;
          signal?: string | null;
        };
        if (code === 'ENOENT') return resolve(undefined);
        if (typeof code === 'number' && !killed) return resolve({ stdout, stderr, code });
        reject(
          new Error(
            `${file} ${args.join(' ')} ${killed ? `timed out after ${timeoutMs} ms` : `failed (${signal ?? code})`}: ${stderr.trim() || error.message}`,
            { cause: error },
          ),
        );
      },
    );
  });
}
