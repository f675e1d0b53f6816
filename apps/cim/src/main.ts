import { CommanderError } from 'commander';
import { createContext } from './context.js';
import { CliError, EXIT_CODES, isCliError } from './errors.js';
import { printJson, stdio } from './output.js';
import { buildProgram } from './program.js';

// Wiring only: context → program → parse → exit code (see the exit codes in `cim --help`).
const ctx = createContext(stdio);
// `cim events tail | head`: a closed stdout ends the command quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const json = process.argv.includes('--json');

function exitCodeOf(e: unknown): number {
  if (e instanceof CommanderError) {
    // Commander printed its message already (unknown option, missing argument, …); help and version are fine.
    if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code))
      return e.exitCode;
    return EXIT_CODES.INVALID_INPUT;
  }
  const error = isCliError(e)
    ? e
    : new CliError('FAILED', e instanceof Error ? e.message : String(e), { cause: e });
  ctx.output.err.write(`cim: ${error.message}\n`);
  if (json)
    printJson(
      ctx.output,
      error.details ?? { ok: false, error: { code: error.code, message: error.message } },
    );
  return EXIT_CODES[error.code];
}

try {
  await buildProgram(ctx).parseAsync(process.argv);
} catch (e) {
  process.exitCode = exitCodeOf(e);
}
