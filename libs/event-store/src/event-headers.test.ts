import { EVENT_HEADERS } from '@cim/contract';
import { describe, expect, it } from 'vitest';
import { eventHeaders } from './event-headers.js';
import { computeRegistered } from './test-events.fixture.js';

describe('eventHeaders', () => {
  it('repeats the identity: Nats-Msg-Id is the event id, Cim-* the rest', () => {
    const event = computeRegistered({ version: 3 });
    const h = eventHeaders(event);
    expect(Object.fromEntries(Object.values(EVENT_HEADERS).map((k) => [k, h.get(k)]))).toEqual({
      'Nats-Msg-Id': event.event_id,
      'Cim-Event-Type': 'ComputeRegistered',
      'Cim-Aggregate-Type': 'compute',
      'Cim-Aggregate-Id': event.aggregate_id,
      'Cim-Aggregate-Version': '3',
      'Cim-Correlation-Id': event.correlation_id,
      'Cim-Causation-Id': event.causation_id,
      'Cim-Schema-Version': String(event.schema_version),
    });
  });
});
