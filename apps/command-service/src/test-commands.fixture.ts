import {
  COMMANDS,
  type CommandName,
  type CommandPayloadInput,
  formatIssues,
  newId,
  rootIdentity,
} from '@cim/contract';
import type { Command } from './command.js';
import { type Decision, decide } from './decide.js';
import type { WriteModel } from './write-model.js';

/** Validates like the handler, decides, and folds an accepted event into `model`. For pure tests. */
export function execute<C extends CommandName>(
  model: WriteModel,
  name: C,
  payload: CommandPayloadInput<C>,
  commandId: string = newId(),
): Decision {
  const parsed = COMMANDS[name].safeParse(payload);
  if (!parsed.success) throw new Error(`invalid ${name} payload: ${formatIssues(parsed.error, 'payload')}`);
  const decision = decide(model, { name, payload: parsed.data } as Command, {
    commandId,
    identity: rootIdentity(commandId),
    now: new Date().toISOString(),
  });
  if (decision.ok) model.apply(decision.event);
  return decision;
}

/** The aggregate id of an accepted decision; throws with the rejection otherwise. */
export function accepted(decision: Decision): string {
  if (!decision.ok) throw new Error(`rejected: ${decision.rejection.code} ${decision.rejection.message}`);
  return decision.event.aggregate_id;
}

/** The rejection code of a decision, or 'ACCEPTED'. */
export const codeOf = (decision: Decision): string => (decision.ok ? 'ACCEPTED' : decision.rejection.code);
