import { isCommandServiceError, startCommandService } from '@cim/command-service';
import type { Command } from 'commander';
import { pino } from 'pino';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';

/** `cim serve`: runs the command service in the foreground until SIGTERM or SIGINT. */
export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the command service in the foreground (pino JSON logs on stdout; Ctrl-C stops it)')
    .action(async () => {
      const env = ctx.env();
      const logger = pino({ name: 'command-service', level: env.LOG_LEVEL });
      let service: Awaited<ReturnType<typeof startCommandService>>;
      try {
        service = await startCommandService({
          natsUrl: env.NATS_URL,
          stream: env.EVENT_STREAM,
          subjectRoot: env.SUBJECT_ROOT,
          commandPrefix: env.COMMAND_PREFIX,
          logger,
        });
      } catch (e) {
        if (isCommandServiceError(e)) {
          throw new CliError(e.code === 'INVALID_CONFIG' ? 'INVALID_INPUT' : 'UNAVAILABLE', e.message, {
            cause: e,
          });
        }
        throw new CliError('UNAVAILABLE', `the command service could not start: ${(e as Error).message}`, {
          cause: e,
        });
      }
      const onSignal = (signal: NodeJS.Signals) => {
        logger.info({ signal }, 'stopping: no new commands, finishing those in flight');
        void service.stop();
      };
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      const reason = await service.stopped;
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      if (reason !== 'requested')
        throw new CliError('UNAVAILABLE', 'the command service lost the event stream and stopped');
    });
}
