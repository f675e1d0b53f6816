import type { z } from 'zod';
import { EVENT_CATALOG, type EventType, isEventType, type PayloadInputOf } from './catalog.js';
import { EnvelopeSchema, type EventOf, type InfrastructureEvent } from './envelope.js';
import { ContractError } from './errors.js';
import type { MessageIdentity } from './identity.js';
import { newId } from './ids.js';
import { UPCASTERS, type UpcasterRegistry, upcastPayload } from './upcasters.js';

/** Why an event could not be decoded; every code is a poison event for projectors. */
export type DecodeFailureCode =
  | 'INVALID_JSON'
  | 'INVALID_ENVELOPE'
  | 'UNKNOWN_EVENT_TYPE'
  | 'UNKNOWN_SCHEMA_VERSION'
  | 'INVALID_PAYLOAD';

export type DecodeResult =
  | { ok: true; event: InfrastructureEvent; upcastFrom?: number }
  | { ok: false; code: DecodeFailureCode; reason: string };

/** One line per issue: `payload.interfaces.0.mac: invalid MAC address 'zz'`. */
export const formatIssues = (error: z.ZodError, prefix = ''): string =>
  error.issues
    .map((i) => {
      const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Parses, upcasts and validates an event from bytes, a JSON string or a parsed object. Never throws:
 * anything wrong comes back as a failure with a reason, ready for a dead-letter entry.
 */
export const decodeEvent = (
  data: Uint8Array | string | unknown,
  upcasters: UpcasterRegistry = UPCASTERS,
): DecodeResult => {
  let raw: unknown = data;
  if (typeof data === 'string' || data instanceof Uint8Array) {
    try {
      raw = JSON.parse(typeof data === 'string' ? data : decoder.decode(data));
    } catch (e) {
      return { ok: false, code: 'INVALID_JSON', reason: `not JSON: ${(e as Error).message}` };
    }
  }
  const envelope = EnvelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, code: 'INVALID_ENVELOPE', reason: formatIssues(envelope.error) };
  const env = envelope.data;
  if (!isEventType(env.event_type)) {
    return { ok: false, code: 'UNKNOWN_EVENT_TYPE', reason: `unknown event_type '${env.event_type}'` };
  }
  const entry = EVENT_CATALOG[env.event_type];
  if (entry.aggregate !== env.aggregate_type) {
    return {
      ok: false,
      code: 'INVALID_ENVELOPE',
      reason: `aggregate_type '${env.aggregate_type}' does not match ${env.event_type} (expected '${entry.aggregate}')`,
    };
  }
  if (env.schema_version > entry.version) {
    return {
      ok: false,
      code: 'UNKNOWN_SCHEMA_VERSION',
      reason: `${env.event_type} schema_version ${env.schema_version} is newer than this code knows (${entry.version}); upgrade the projector`,
    };
  }
  let payload = env.payload;
  if (env.schema_version < entry.version) {
    if (typeof payload !== 'object' || payload === null) {
      return { ok: false, code: 'INVALID_PAYLOAD', reason: 'payload must be an object' };
    }
    const up = upcastPayload(
      env.event_type,
      payload as Record<string, unknown>,
      env.schema_version,
      entry.version,
      upcasters,
    );
    if (!up.ok) return { ok: false, code: 'UNKNOWN_SCHEMA_VERSION', reason: up.reason };
    payload = up.payload;
  }
  const parsed = entry.payload.safeParse(payload);
  if (!parsed.success) {
    return {
      ok: false,
      code: 'INVALID_PAYLOAD',
      reason: `${env.event_type}: ${formatIssues(parsed.error, 'payload')}`,
    };
  }
  // The envelope zod returned is a new object of this call's own: completing it in place saves a
  // copy of every event.
  const from = env.schema_version;
  env.schema_version = entry.version;
  env.payload = parsed.data;
  const event = env as InfrastructureEvent;
  return from < entry.version ? { ok: true, event, upcastFrom: from } : { ok: true, event };
};

/** JSON bytes of an event, as stored in the stream. */
export const encodeEvent = (event: InfrastructureEvent): Uint8Array => encoder.encode(JSON.stringify(event));

export interface NewEventInput<T extends EventType> {
  aggregate_id: string;
  aggregate_version: number;
  identity: MessageIdentity;
  payload: PayloadInputOf<T>;
  event_id?: string;
  occurred_at?: string;
}

/** Builds a validated event of the current schema version; throws ContractError on an invalid payload. */
export const createEvent = <T extends EventType>(type: T, input: NewEventInput<T>): EventOf<T> => {
  const entry = EVENT_CATALOG[type];
  const parsed = entry.payload.safeParse(input.payload);
  if (!parsed.success)
    throw new ContractError('INVALID_EVENT', `${type}: ${formatIssues(parsed.error, 'payload')}`);
  return {
    event_id: input.event_id ?? newId(),
    event_type: type,
    aggregate_type: entry.aggregate,
    aggregate_id: input.aggregate_id,
    aggregate_version: input.aggregate_version,
    correlation_id: input.identity.correlation_id,
    causation_id: input.identity.causation_id,
    occurred_at: input.occurred_at ?? new Date().toISOString(),
    schema_version: entry.version,
    payload: parsed.data,
  } as EventOf<T>;
};
