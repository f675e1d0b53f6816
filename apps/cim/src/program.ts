import { Command } from 'commander';
import { registerComputeCommands } from './compute-commands.js';
import { registerConnectionCommands } from './connection-commands.js';
import type { CliContext } from './context.js';
import { registerDiscoverCommand } from './discover-command.js';
import { registerDlqCommands } from './dlq-commands.js';
import { registerEventsCommands } from './events-commands.js';
import { registerMetricsCommands } from './metrics-commands.js';
import { registerNetworkCommands } from './network-commands.js';
import { registerPolicyCommands } from './policy-commands.js';
import { registerProjectorCommands } from './projector-commands.js';
import { registerReportCommands } from './report-commands.js';
import { registerSeedCommand } from './seed-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerSoftwareCommands } from './software-commands.js';
import { registerSpaceCommands } from './space-commands.js';
import { registerUpCommand } from './up-command.js';

/**
 * Every command group, in help order. Later groups get their own `*-command(s).ts` file and a line
 * here: projector (admin: status, pause, resume, rebuild), dlq (list, replay), report, topology,
 * space, discover, status, up.
 */
const GROUPS: ReadonlyArray<(program: Command, ctx: CliContext) => void> = [
  registerComputeCommands,
  registerNetworkCommands,
  registerConnectionCommands,
  registerSoftwareCommands,
  registerPolicyCommands,
  registerEventsCommands,
  registerSeedCommand,
  registerServeCommand,
  registerProjectorCommands,
  registerDlqCommands,
  registerDiscoverCommand,
  registerMetricsCommands,
  registerUpCommand,
  registerReportCommands,
  registerSpaceCommands,
];

const HELP_FOOTER = `
Environment:
  NATS_URL        NATS server (default nats://127.0.0.1:4222)
  EVENT_STREAM    JetStream stream of events (default INFRASTRUCTURE_EVENTS)
  SUBJECT_ROOT    first token of event subjects (default infrastructure)
  COMMAND_PREFIX  subject prefix of commands (default cim.cmd)
  ADMIN_PREFIX    subject prefix of projector admin requests (default cim.admin)
  CIM_TIMEOUT_MS  how long to wait for the command service (default 10000)
  LOG_LEVEL       log level of \`cim serve\` (default info)

Exit codes:
  0  done
  1  the command service refused the command (duplicate, already connected, decommissioned, conflict),
     or another failure
  2  bad input: unknown flag, invalid value, or an id that does not exist; nothing was published
  3  NATS unreachable, no command service answering (start \`cim serve\`), or no event stream`;

/** The `cim` program. Errors propagate to the caller (see main.ts) instead of exiting. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('cim')
    .description(
      'Operate the CIM infrastructure model: send commands, read events, seed fleets, run the command service',
    )
    .version('0.1.0')
    // Program options only before the subcommand, so subcommands may have their own --version.
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .configureOutput({ writeOut: (s) => ctx.output.out.write(s), writeErr: (s) => ctx.output.err.write(s) })
    .addHelpText('after', HELP_FOOTER);
  for (const register of GROUPS) register(program, ctx);
  // Subcommands inherit the error handling: throw instead of exiting, so main.ts picks the exit code.
  const throwErrors = (command: Command) => {
    command.exitOverride();
    for (const sub of command.commands) throwErrors(sub);
  };
  throwErrors(program);
  return program;
}
