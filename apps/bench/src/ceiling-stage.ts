import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';

const decoder = new TextDecoder();

/**
 * The raw ceiling: JetStream consume + JSON.parse of the whole stream with nats.js, no store. An
 * ordered consumer delivering to a callback, nats.js' fastest way to read a stream: its async
 * iterator costs a promise per message (about 25% of this rate; the kit uses callbacks too).
 */
export const ceilingStage = async (
  nc: NatsConnection,
  stream: string,
  /** Messages in the stream (the seeded stream has no gaps): the read ends at the last one. */
  count: number,
): Promise<{ events: number; seconds: number; rate: number }> => {
  // Nothing to read would mean no callback, hence nothing that ends the read.
  if (count < 1) throw new Error(`ceiling: stream ${stream} has no events to read`);
  const consumer = await jetstream(nc).consumers.get(stream);
  const started = performance.now();
  let events = 0;
  let received = 0;
  let failure: unknown;
  const messages = await consumer.consume({
    max_messages: 5000,
    callback: (m) => {
      try {
        const parsed = JSON.parse(decoder.decode(m.data)) as { event_id?: string };
        if (parsed.event_id) events++;
      } catch (error) {
        failure = error;
      }
      // Counted, not read from m.seq: parsing the reply subject would slow down the ceiling.
      if (++received >= count || failure !== undefined) messages.stop();
    },
  });
  const closedWith = await messages.closed();
  if (failure !== undefined) throw failure;
  if (closedWith) throw closedWith;
  const seconds = (performance.now() - started) / 1000;
  return { events, seconds, rate: events / seconds };
};
