import { startCommandService } from './command-service.js';
import { parseEnv } from './env.js';
import { isCommandServiceError } from './errors.js';
import { createLogger } from './logger.js';

// Wiring only: environment → logger → service → signals.
let env: ReturnType<typeof parseEnv>;
try {
  env = parseEnv();
} catch (e) {
  process.stderr.write(`command-service: ${(e as Error).message}\n`);
  process.exit(2);
}
const logger = createLogger(env.LOG_LEVEL);
try {
  const service = await startCommandService({
    natsUrl: env.NATS_URL,
    stream: env.EVENT_STREAM,
    subjectRoot: env.SUBJECT_ROOT,
    commandPrefix: env.COMMAND_PREFIX,
    logger,
  });
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping: no new commands, finishing those in flight');
    void service.stop();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const reason = await service.stopped;
  process.exit(reason === 'requested' ? 0 : 1);
} catch (e) {
  logger.fatal({ err: e }, isCommandServiceError(e) ? e.message : 'command service failed to start');
  process.exit(1);
}
