import type { CommandName, CommandPayloadInput } from '@cim/contract';
import type { Command } from 'commander';
import { sendCommand, validateCommand } from './command-client.js';
import { type Env, parseEnv } from './env.js';
import { uuid } from './flags.js';
import { withNats } from './nats.js';
import { eventLine, type Output, printJson } from './output.js';

/** What every subcommand gets: the environment (parsed on first use) and where to write. */
export interface CliContext {
  env(): Env;
  output: Output;
}

export function createContext(
  output: Output,
  source: Record<string, string | undefined> = process.env,
): CliContext {
  let env: Env | undefined;
  return {
    env: () => {
      env ??= parseEnv(source);
      return env;
    },
    output,
  };
}

/** Options every write command has. */
export interface WriteOptions {
  json?: boolean;
  commandId?: string;
}

/** Adds `--json` and `--command-id` to a write subcommand. */
export const withWriteOptions = (command: Command): Command =>
  command
    .option('--json', 'print the service reply (events or error) as JSON')
    .option('--command-id <uuid>', 'id of this command; resending the same id never appends twice', uuid);

/**
 * The path of every write subcommand: validate the payload locally with the contract schema (bad
 * input never reaches NATS), send it, print the events (`--json`: the service's reply).
 */
export async function runCommand<C extends CommandName>(
  ctx: CliContext,
  options: WriteOptions,
  name: C,
  payload: CommandPayloadInput<C>,
  flags?: Readonly<Record<string, string>>,
): Promise<void> {
  validateCommand(name, payload, flags);
  const env = ctx.env();
  const reply = await withNats(env, (nc) => sendCommand(nc, env, name, payload, options.commandId));
  if (options.json) printJson(ctx.output, reply);
  else {
    for (const event of reply.events)
      ctx.output.out.write(`${eventLine(event)}${reply.duplicate ? '  (already applied)' : ''}\n`);
  }
}
