import {
  type CommandReply,
  type CommandRequest,
  commandSubject,
  DEFAULT_COMMAND_PREFIX,
  decodeEvent,
  type InfrastructureEvent,
  newId,
} from '@cim/contract';
import { DiscoveryError, messageOf } from './errors.js';
import type { PlannedCommand } from './planned-command.js';

/**
 * The part of a NATS connection discovery needs; `NatsConnection` from @nats-io/transport-node fits.
 * Narrow so this library does not depend on a NATS client package of its own.
 */
export interface CommandRequester {
  request(
    subject: string,
    payload: string,
    options: { timeout: number },
  ): Promise<{ readonly data: Uint8Array }>;
}

/** Default time to wait for the command service's reply to one command. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
/** Default number of resends after a timeout (safe: the same command_id never produces a second event). */
export const DEFAULT_REQUEST_RETRIES = 1;

/** How {@link sendCommand} talks to the command service. */
export interface SendCommandOptions {
  /** Command subject prefix. Default `cim.cmd`. */
  prefix?: string;
  /** Default {@link DEFAULT_REQUEST_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Default {@link DEFAULT_REQUEST_RETRIES}. */
  retries?: number;
  /** Correlation id of the events (e.g. one per discovery run). Default: the command id. */
  correlationId?: string;
}

/** A command reply whose events were validated against the contract. */
export type DiscoveryReply = CommandReply<InfrastructureEvent>;

const decoder = new TextDecoder();

/** Walks an error and its causes: nats.js wraps NoRespondersError in a RequestError. */
function* causes(e: unknown): Generator<Error> {
  for (let c = e; c instanceof Error; c = c.cause) yield c;
}

const isNoResponders = (e: unknown): boolean =>
  [...causes(e)].some((c) => c.name === 'NoResponders' || /no responders/i.test(c.message));
const isTimeout = (e: unknown): boolean => [...causes(e)].some((c) => c.name === 'TimeoutError');

function parseReply(subject: string, data: Uint8Array): DiscoveryReply {
  const invalid = (why: string) =>
    new DiscoveryError('INVALID_REPLY', `the reply to ${subject} is not a command reply: ${why}`);
  let body: unknown;
  try {
    body = JSON.parse(decoder.decode(data));
  } catch (e) {
    throw invalid(messageOf(e));
  }
  if (typeof body !== 'object' || body === null || typeof (body as { ok?: unknown }).ok !== 'boolean')
    throw invalid('no boolean `ok`');
  const reply = body as DiscoveryReply;
  if (!reply.ok) return reply;
  if (!Array.isArray(reply.events)) throw invalid('no `events` array');
  const events = reply.events.map((raw) => {
    const decoded = decodeEvent(raw);
    if (!decoded.ok) throw invalid(decoded.reason);
    return decoded.event;
  });
  return { ...reply, events };
}

/**
 * Sends one command as a request on `{prefix}.{name}` and returns the service's reply (rejections are
 * replies, not errors). Throws {@link DiscoveryError}: `COMMAND_SERVICE_UNAVAILABLE` when nothing
 * subscribes (NATS "no responders"), `COMMAND_TIMEOUT` after the last retry, `INVALID_REPLY`.
 */
export async function sendCommand(
  nc: CommandRequester,
  command: Pick<PlannedCommand, 'name' | 'payload'>,
  options: SendCommandOptions = {},
): Promise<DiscoveryReply> {
  const prefix = options.prefix ?? DEFAULT_COMMAND_PREFIX;
  const timeout = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const subject = commandSubject(command.name, prefix);
  const request: CommandRequest = {
    command_id: newId(),
    ...(options.correlationId !== undefined && { correlation_id: options.correlationId }),
    payload: command.payload,
  };
  const body = JSON.stringify(request);
  const attempts = 1 + (options.retries ?? DEFAULT_REQUEST_RETRIES);
  for (let attempt = 1; ; attempt++) {
    try {
      const msg = await nc.request(subject, body, { timeout });
      return parseReply(subject, msg.data);
    } catch (e) {
      if (e instanceof DiscoveryError) throw e;
      if (isNoResponders(e)) {
        throw new DiscoveryError(
          'COMMAND_SERVICE_UNAVAILABLE',
          `no command service answers ${prefix}.>: start the command service with \`cim serve\``,
          { cause: e },
        );
      }
      if (!isTimeout(e)) throw e;
      if (attempt >= attempts) {
        throw new DiscoveryError(
          'COMMAND_TIMEOUT',
          `the command service did not answer ${subject} within ${timeout} ms (${attempts} attempts); is it overloaded or stuck?`,
          { cause: e },
        );
      }
    }
  }
}
