import { createHash } from 'node:crypto';
import { isUuidV7, type MessageIdentity } from '@cim/contract';

/**
 * A UUID v7 derived deterministically from a command id and a label (`event:0`, `aggregate`).
 *
 * Retrying a command with the same `command_id` therefore yields the same event ids, so JetStream's
 * duplicate window (`Nats-Msg-Id` = event_id) drops a second copy even after a service restart, and
 * the same aggregate id, so a retried registration targets the same resource. The 48-bit timestamp
 * is the command id's own when it is a UUID v7 (ids stay time-ordered); for other UUIDs it comes from
 * the hash. The remaining 74 bits are SHA-256 of `commandId`, NUL, `label`.
 */
export function derivedId(commandId: string, label: string): string {
  // createHash rather than crypto.hash: the engines field allows Node 20.11, which lacks the latter.
  const digest = createHash('sha256').update(`${commandId}\0${label}`).digest();
  const bytes = Buffer.alloc(16);
  if (isUuidV7(commandId)) Buffer.from(commandId.replaceAll('-', '').slice(0, 12), 'hex').copy(bytes, 0);
  else digest.copy(bytes, 0, 16, 22);
  digest.copy(bytes, 6, 0, 10);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f); // version 7
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of the `index`-th event a command decides. */
export const eventIdFor = (commandId: string, index = 0): string => derivedId(commandId, `event:${index}`);

/** The id of the aggregate a creating command makes when the request names none. */
export const aggregateIdFor = (commandId: string): string => derivedId(commandId, 'aggregate');

/**
 * Identity of the events a command decides: a root command's events have correlation = causation =
 * command id; a command caused by an earlier message passes that conversation's ids along.
 */
export const commandIdentity = (request: {
  command_id: string;
  correlation_id?: string | undefined;
  causation_id?: string | undefined;
}): MessageIdentity => ({
  correlation_id: request.correlation_id ?? request.command_id,
  causation_id: request.causation_id ?? request.command_id,
});
