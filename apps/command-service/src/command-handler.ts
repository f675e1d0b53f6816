import {
  COMMANDS,
  type CommandName,
  CommandRequest,
  formatIssues,
  isCommandName,
  type MessageIdentity,
  newId,
} from '@cim/contract';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { AppendPipeline, Reply } from './append-pipeline.js';
import type { Command } from './command.js';
import { commandIdentity } from './command-ids.js';

/** Default queue group: instances of the service share the command load. */
export const DEFAULT_QUEUE_GROUP = 'cim-command-service';

export interface CommandHandlerOptions {
  nc: NatsConnection;
  /** Subject prefix of commands, e.g. `cim.cmd`; the handler answers `${prefix}.>`. */
  prefix: string;
  queueGroup: string;
  pipeline: AppendPipeline;
  logger: Logger;
}

const decoder = new TextDecoder();

const failure = (
  code: 'INVALID_REQUEST' | 'UNKNOWN_COMMAND' | 'VALIDATION_FAILED',
  message: string,
  commandId?: string,
): Reply =>
  commandId === undefined
    ? { ok: false, error: { code, message } }
    : { ok: false, command_id: commandId, error: { code, message } };

/** A request that passed validation, ready for the pipeline. */
interface ValidCommand {
  command: Command;
  commandId: string;
  identity: MessageIdentity;
}

/**
 * The NATS side of the service: answers `${prefix}.{aggregate}.{command}` requests in a queue group,
 * validates them with the contract's schemas and hands them to the {@link AppendPipeline}. A second
 * request with a command_id still in progress waits for the first and gets its events as a duplicate.
 *
 * Replies are sent from the pipeline's callback, not after a chain of awaits, so the replies to a
 * burst of acks leave in one socket write.
 */
export class CommandHandler {
  readonly #options: CommandHandlerOptions;
  /** Requests waiting on a command_id that is in progress. */
  readonly #inProgress = new Map<string, Array<(reply: Reply) => void>>();
  #subscription: Subscription | undefined;
  #active = 0;
  #settled: Array<() => void> = [];

  constructor(options: CommandHandlerOptions) {
    this.#options = options;
  }

  /** Subscribes and waits until the server has registered the subscription. */
  async start(): Promise<void> {
    const { nc, prefix, queueGroup } = this.#options;
    this.#subscription = nc.subscribe(`${prefix}.>`, {
      queue: queueGroup,
      callback: (err, msg) => {
        if (err) this.#options.logger.error({ err }, 'command subscription error');
        else this.#onRequest(msg);
      },
    });
    await nc.flush();
  }

  /** Stops taking requests (already delivered ones are still handled) and waits until all are answered. */
  async drain(): Promise<void> {
    const sub = this.#subscription;
    if (sub && !sub.isClosed()) await sub.drain();
    if (this.#active > 0) await new Promise<void>((resolve) => this.#settled.push(resolve));
  }

  #onRequest(msg: Msg): void {
    this.#active++;
    let answered = false;
    const respond = (reply: Reply) => {
      if (answered) return;
      answered = true;
      try {
        if (msg.reply) msg.respond(JSON.stringify(reply));
      } catch (err) {
        this.#options.logger.error({ err, subject: msg.subject }, 'cannot send the reply');
      }
      if (--this.#active === 0) {
        const settled = this.#settled;
        this.#settled = [];
        for (const s of settled) s();
      }
    };
    try {
      this.handle(msg.subject, msg.data, respond);
    } catch (err) {
      this.#options.logger.error({ err, subject: msg.subject }, 'command handling failed');
      respond({ ok: false, error: { code: 'UNAVAILABLE', message: 'internal error; see the service log' } });
    }
  }

  /** Validates one request on `subject` and calls `respond` once with its reply. */
  handle(subject: string, data: Uint8Array | string, respond: (reply: Reply) => void): void {
    const valid = this.#validate(subject, data);
    if (!('command' in valid)) {
      respond(valid);
      return;
    }
    const { command, commandId, identity } = valid;
    const waiting = this.#inProgress.get(commandId);
    if (waiting) {
      waiting.push((first) => respond(first.ok ? { ...first, duplicate: true } : first));
      return;
    }
    this.#inProgress.set(commandId, []);
    const log = this.#options.logger;
    this.#options.pipeline.submit({
      command,
      commandId,
      identity,
      resolve: (result) => {
        const fields = {
          command: command.name,
          command_id: commandId,
          correlation_id: identity.correlation_id,
        };
        if (result.ok) log.debug({ ...fields, duplicate: result.duplicate ?? false }, 'command accepted');
        else
          log.info({ ...fields, code: result.error.code, reason: result.error.message }, 'command rejected');
        const others = this.#inProgress.get(commandId) ?? [];
        this.#inProgress.delete(commandId);
        respond(result);
        for (const other of others) other(result);
      },
    });
  }

  #validate(subject: string, data: Uint8Array | string): ValidCommand | Reply {
    const { prefix } = this.#options;
    const name = subject.startsWith(`${prefix}.`) ? subject.slice(prefix.length + 1) : subject;
    if (!isCommandName(name)) {
      return failure(
        'UNKNOWN_COMMAND',
        `unknown command '${name}' (known: ${Object.keys(COMMANDS).join(', ')})`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(typeof data === 'string' ? data : decoder.decode(data));
    } catch (e) {
      return failure('INVALID_REQUEST', `the request body is not JSON: ${(e as Error).message}`);
    }
    const request = CommandRequest.safeParse(body);
    if (!request.success) return failure('INVALID_REQUEST', formatIssues(request.error));
    const commandId = request.data.command_id ?? newId();
    const payload = COMMANDS[name].safeParse(request.data.payload);
    if (!payload.success)
      return failure('VALIDATION_FAILED', formatIssues(payload.error, 'payload'), commandId);
    return {
      command: { name, payload: payload.data } as Command satisfies { name: CommandName },
      commandId,
      identity: commandIdentity({ ...request.data, command_id: commandId }),
    };
  }
}
