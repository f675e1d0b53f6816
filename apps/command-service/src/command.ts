import type { CommandName, CommandPayload, MessageIdentity } from '@cim/contract';

/** A validated command: its name and the payload as the contract schema output it. */
export type Command = { [C in CommandName]: { name: C; payload: CommandPayload<C> } }[CommandName];

/** What a decision needs besides state and command; passed in so `decide` stays pure. */
export interface DecideContext {
  /** The command's id: the basis of the event id and of a new aggregate's id. */
  commandId: string;
  /** Correlation and causation of the events. */
  identity: MessageIdentity;
  /** `occurred_at` of the events (ISO-8601 UTC). */
  now: string;
}
