import { EVENT_CATALOG, type EventType } from './catalog.js';

/** Default subject root of the event stream. */
export const DEFAULT_SUBJECT_ROOT = 'infrastructure';

/** The subject an event is published on: `{root}.{aggregate}.{operation}`. */
export const subjectFor = (eventType: EventType, root: string = DEFAULT_SUBJECT_ROOT): string => {
  const { aggregate, operation } = EVENT_CATALOG[eventType];
  return `${root}.${aggregate}.${operation}`;
};

/** The wildcard matching every event under a root, e.g. `infrastructure.>`. */
export const allEventsSubject = (root: string = DEFAULT_SUBJECT_ROOT): string => `${root}.>`;

/** NATS headers that repeat an event's identity, so tools can route and dedup without parsing JSON. */
export const EVENT_HEADERS = {
  msgId: 'Nats-Msg-Id',
  eventType: 'Cim-Event-Type',
  aggregateType: 'Cim-Aggregate-Type',
  aggregateId: 'Cim-Aggregate-Id',
  aggregateVersion: 'Cim-Aggregate-Version',
  correlationId: 'Cim-Correlation-Id',
  causationId: 'Cim-Causation-Id',
  schemaVersion: 'Cim-Schema-Version',
} as const;
