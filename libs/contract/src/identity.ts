import { newId } from './ids.js';

/** Correlation and causation of a message: which conversation it belongs to and what caused it. */
export interface MessageIdentity {
  correlation_id: string;
  causation_id: string;
}

/** Identity of events decided by a root command: correlation = causation = the command's id. */
export const rootIdentity = (commandId: string): MessageIdentity => ({
  correlation_id: commandId,
  causation_id: commandId,
});

/** Identity of a message caused by an earlier one: same conversation, caused by that message's id. */
export const causedBy = (
  cause: { event_id?: string; command_id?: string } & MessageIdentity,
): MessageIdentity => ({
  correlation_id: cause.correlation_id,
  causation_id: cause.event_id ?? cause.command_id ?? cause.causation_id,
});

/** A new root command id with its identity. */
export const newRootCommand = (): { command_id: string } & MessageIdentity => {
  const command_id = newId();
  return { command_id, ...rootIdentity(command_id) };
};
