import { z } from 'zod';
import * as P from './payloads.js';

/** Aggregates of the infrastructure model; the second token of every subject. */
export const AGGREGATE_TYPES = ['compute', 'network', 'connection', 'software', 'policy'] as const;
export type AggregateType = (typeof AGGREGATE_TYPES)[number];

/**
 * A catalog entry. Its payload schema is compiled (`z.compile`): every projector validates every event,
 * and zod's generated parser does it 2–4x faster than the interpreter, to which it hands whatever it
 * rejects, so results and errors are the interpreter's.
 */
const entry = <A extends AggregateType, O extends string, S extends z.ZodType>(
  aggregate: A,
  operation: O,
  version: number,
  payload: S,
) => ({ aggregate, operation, version, payload: z.compile(payload) });

/**
 * The event catalog: type → aggregate, operation (subject token), current schema version and payload
 * schema. Adding an optional field keeps the version; a breaking change bumps it and adds an upcaster.
 */
export const EVENT_CATALOG = {
  ComputeRegistered: entry('compute', 'registered', 2, P.ComputeRegistered),
  ComputeUpdated: entry('compute', 'updated', 1, P.ComputeUpdated),
  ComputeDecommissioned: entry('compute', 'decommissioned', 1, P.ComputeDecommissioned),
  ComputeMeasured: entry('compute', 'measured', 1, P.ComputeMeasured),
  NetworkDefined: entry('network', 'defined', 1, P.NetworkDefined),
  NetworkUpdated: entry('network', 'updated', 1, P.NetworkUpdated),
  NetworkRemoved: entry('network', 'removed', 1, P.NetworkRemoved),
  ConnectionEstablished: entry('connection', 'established', 1, P.ConnectionEstablished),
  ConnectionSevered: entry('connection', 'severed', 1, P.ConnectionSevered),
  SoftwareConfigured: entry('software', 'configured', 1, P.SoftwareConfigured),
  SoftwareRemoved: entry('software', 'removed', 1, P.SoftwareRemoved),
  PolicySet: entry('policy', 'set', 1, P.PolicySet),
  PolicyRemoved: entry('policy', 'removed', 1, P.PolicyRemoved),
} as const;

export type EventCatalog = typeof EVENT_CATALOG;
export type EventType = keyof EventCatalog;
export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as EventType[];

/** The payload type of an event type (after defaults are applied). */
export type PayloadOf<T extends EventType> = z.output<EventCatalog[T]['payload']>;
/** The payload a producer writes (defaults may be omitted). */
export type PayloadInputOf<T extends EventType> = z.input<EventCatalog[T]['payload']>;

const BY_SUBJECT_TOKENS = new Map<string, EventType>(
  EVENT_TYPES.map((t) => [`${EVENT_CATALOG[t].aggregate}.${EVENT_CATALOG[t].operation}`, t]),
);

/** The event type for `aggregate.operation` tokens, e.g. `compute.registered`. */
export const eventTypeForTokens = (aggregate: string, operation: string): EventType | undefined =>
  BY_SUBJECT_TOKENS.get(`${aggregate}.${operation}`);

export const isEventType = (value: string): value is EventType => Object.hasOwn(EVENT_CATALOG, value);
