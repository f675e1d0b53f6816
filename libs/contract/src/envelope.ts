import { z } from 'zod';
import { AGGREGATE_TYPES, type EventType, type PayloadOf } from './catalog.js';

/** The envelope as written, run by zod's interpreter; the tests compare the compiled form against it. */
export const InterpretedEnvelopeSchema = z.object({
  event_id: z.uuidv7('event_id must be a UUID v7'),
  event_type: z.string().min(1),
  aggregate_type: z.enum(AGGREGATE_TYPES),
  aggregate_id: z.uuidv7('aggregate_id must be a UUID v7'),
  aggregate_version: z.number().int().positive('aggregate_version starts at 1'),
  correlation_id: z.uuid('correlation_id must be a UUID'),
  causation_id: z.uuid('causation_id must be a UUID'),
  occurred_at: z.iso.datetime({ message: 'occurred_at must be an ISO-8601 UTC timestamp' }),
  schema_version: z.number().int().positive(),
  payload: z.unknown(),
});

/**
 * The envelope every event travels in; `payload` is validated against the catalog separately.
 * Compiled like the catalog's payloads: decoding runs it on every event.
 */
export const EnvelopeSchema = z.compile(InterpretedEnvelopeSchema);

type EnvelopeFields = Omit<z.output<typeof EnvelopeSchema>, 'event_type' | 'payload'>;

/** A validated event of one type. */
export type EventOf<T extends EventType> = EnvelopeFields & { event_type: T; payload: PayloadOf<T> };

/** Any validated infrastructure event; narrow on `event_type`. */
export type InfrastructureEvent = { [T in EventType]: EventOf<T> }[EventType];
