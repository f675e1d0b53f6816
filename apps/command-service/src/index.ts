// Public API of @cim/command-service: start the write side in-process (`cim serve`, tests) and the
// pure decision logic for tools that want to check a command without sending it.

export type { Command, DecideContext } from './command.js';
export { DEFAULT_QUEUE_GROUP } from './command-handler.js';
export { aggregateIdFor, commandIdentity, derivedId, eventIdFor } from './command-ids.js';
export {
  type CommandService,
  type CommandServiceOptions,
  DEFAULT_APPEND_TIMEOUT_MS,
  type StopReason,
  startCommandService,
} from './command-service.js';
export { type Decision, decide } from './decide.js';
export { type Env, EnvSchema, parseEnv } from './env.js';
export { CommandServiceError, type CommandServiceErrorCode, isCommandServiceError } from './errors.js';
export { createLogger } from './logger.js';
export { WriteModel, type WriteModelView } from './write-model.js';
