import { EVENT_HEADERS, type InfrastructureEvent } from '@cim/contract';
import { headers, type MsgHdrs } from '@nats-io/nats-core';

/**
 * The NATS headers an event is published with: `Nats-Msg-Id` = event_id (server-side dedup) and the
 * `Cim-*` identity headers of {@link EVENT_HEADERS}, so consumers route and filter without parsing JSON.
 */
export const eventHeaders = (event: InfrastructureEvent): MsgHdrs => {
  const h = headers();
  h.set(EVENT_HEADERS.msgId, event.event_id);
  h.set(EVENT_HEADERS.eventType, event.event_type);
  h.set(EVENT_HEADERS.aggregateType, event.aggregate_type);
  h.set(EVENT_HEADERS.aggregateId, event.aggregate_id);
  h.set(EVENT_HEADERS.aggregateVersion, String(event.aggregate_version));
  h.set(EVENT_HEADERS.correlationId, event.correlation_id);
  h.set(EVENT_HEADERS.causationId, event.causation_id);
  h.set(EVENT_HEADERS.schemaVersion, String(event.schema_version));
  return h;
};
