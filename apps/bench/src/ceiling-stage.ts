import type { EventStore } from '@cim/event-store';

const decoder = new TextDecoder();

/** The raw ceiling: JetStream consume + JSON.parse of the whole stream with nats.js, no store. */
export const ceilingStage = async (
  store: EventStore,
): Promise<{ events: number; seconds: number; rate: number }> => {
  const started = performance.now();
  let events = 0;
  for await (const e of store.readAll({ batchSize: 5000 })) {
    const parsed = JSON.parse(decoder.decode(e.data)) as { event_id?: string };
    if (parsed.event_id) events++;
  }
  const seconds = (performance.now() - started) / 1000;
  return { events, seconds, rate: events / seconds };
};
