import { z } from 'zod';
import * as P from './payloads.js';

/**
 * Commands of the write side. Each is answered over NATS request/reply on
 * `cim.cmd.{aggregate}.{command}`; the request body is a {@link CommandRequest}.
 */

const id = z.uuid('must be a UUID');

export const COMMANDS = {
  'compute.register': P.ComputeRegistered.extend({ resource_id: id.optional() }),
  'compute.update': z.object({ resource_id: id }).and(P.ComputeUpdated),
  'compute.decommission': P.ComputeDecommissioned.extend({ resource_id: id }),
  'compute.record-measurement': z.object({ resource_id: id }).and(P.ComputeMeasured),
  'network.define': P.NetworkDefined.extend({ network_id: id.optional() }),
  'network.update': z.object({ network_id: id }).and(P.NetworkUpdated),
  'network.remove': P.NetworkRemoved.extend({ network_id: id }),
  'connection.establish': z.object({ connection_id: id.optional() }).and(P.ConnectionEstablished),
  'connection.sever': P.ConnectionSevered.extend({ connection_id: id }),
  'software.configure': P.SoftwareConfigured.extend({ software_id: id.optional() }),
  'software.remove': P.SoftwareRemoved.extend({ software_id: id }),
  'policy.set': P.PolicySet.extend({ policy_id: id.optional() }),
  'policy.remove': P.PolicyRemoved.extend({ policy_id: id }),
} as const;

export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];
export type CommandPayload<C extends CommandName> = z.output<(typeof COMMANDS)[C]>;
export type CommandPayloadInput<C extends CommandName> = z.input<(typeof COMMANDS)[C]>;

export const isCommandName = (value: string): value is CommandName => Object.hasOwn(COMMANDS, value);

/** Default subject prefix of commands. */
export const DEFAULT_COMMAND_PREFIX = 'cim.cmd';

/** `cim.cmd.compute.register` for `compute.register`. */
export const commandSubject = (name: CommandName, prefix: string = DEFAULT_COMMAND_PREFIX): string =>
  `${prefix}.${name}`;

/**
 * The body of a command request. `command_id` makes retries safe: the same id never produces a
 * second event. A command caused by an event passes that event's correlation and id as causation.
 */
export const CommandRequest = z.object({
  command_id: z.uuid().optional(),
  correlation_id: z.uuid().optional(),
  causation_id: z.uuid().optional(),
  payload: z.unknown(),
});
export type CommandRequest = z.infer<typeof CommandRequest>;

/** Why a command was rejected. */
export const COMMAND_ERROR_CODES = [
  'INVALID_REQUEST',
  'UNKNOWN_COMMAND',
  'VALIDATION_FAILED',
  'UNKNOWN_RESOURCE',
  'UNKNOWN_NETWORK',
  'UNKNOWN_CONNECTION',
  'UNKNOWN_SOFTWARE',
  'UNKNOWN_POLICY',
  'DUPLICATE_HOSTNAME',
  'DUPLICATE_INTERFACE',
  'DUPLICATE_MAC',
  'DUPLICATE_NETWORK',
  'UNKNOWN_INTERFACE',
  'ALREADY_CONNECTED',
  'DECOMMISSIONED',
  'VERSION_CONFLICT',
  'UNAVAILABLE',
] as const;
export type CommandErrorCode = (typeof COMMAND_ERROR_CODES)[number];

export interface CommandRejection {
  code: CommandErrorCode;
  message: string;
}

/** The reply to a command: the events it appended (empty for an idempotent retry's replay) or why not. */
export type CommandReply<E = unknown> =
  | { ok: true; command_id: string; events: E[]; duplicate?: boolean }
  | { ok: false; command_id?: string; error: CommandRejection };
