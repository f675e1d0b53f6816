import {
  ContractError,
  createEvent,
  type EventType,
  isUuidV7,
  type PayloadInputOf,
  type PayloadOf,
} from '@cim/contract';
import type { DecideContext } from './command.js';
import { aggregateIdFor, eventIdFor } from './command-ids.js';
import type { Decision } from './decide.js';
import { reject } from './errors.js';
import type { ResourceState, WriteModelView } from './write-model.js';

/** The single event of an accepted command, with its deterministic id. */
export function emit<T extends EventType>(
  type: T,
  ctx: DecideContext,
  aggregateId: string,
  version: number,
  payload: PayloadInputOf<T> | PayloadOf<T>,
): Decision {
  try {
    const event = createEvent(type, {
      event_id: eventIdFor(ctx.commandId),
      aggregate_id: aggregateId,
      aggregate_version: version,
      identity: ctx.identity,
      occurred_at: ctx.now,
      payload: payload as PayloadInputOf<T>,
    });
    return { ok: true, event } as Decision;
  } catch (e) {
    // The command schema accepted the payload, so this means contract drift; still a rejection, not a crash.
    if (e instanceof ContractError) return reject('VALIDATION_FAILED', e.message);
    throw e;
  }
}

/**
 * The id of the aggregate a creating command makes: the one the request names (it must be a UUID v7,
 * the envelope's rule) or one derived from the command id, so a retry creates the same aggregate.
 */
export function newAggregateId(
  given: string | undefined,
  field: string,
  ctx: DecideContext,
): { ok: true; id: string } | { ok: false; message: string } {
  if (given === undefined) return { ok: true, id: aggregateIdFor(ctx.commandId) };
  if (!isUuidV7(given)) return { ok: false, message: `${field} '${given}' must be a UUID v7` };
  return { ok: true, id: given };
}

/** The resource `id` if it exists and is not decommissioned, else the rejection saying which. */
export function activeResource(
  state: WriteModelView,
  id: string,
  role = 'resource',
): { ok: true; resource: ResourceState } | Extract<Decision, { ok: false }> {
  const resource = state.resources.get(id);
  if (!resource) return reject('UNKNOWN_RESOURCE', `unknown ${role} ${id}`);
  if (resource.status === 'decommissioned') {
    return reject('DECOMMISSIONED', `${role} ${id} ('${resource.hostname}') is decommissioned`);
  }
  return { ok: true, resource };
}
