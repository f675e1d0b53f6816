import type { InfrastructureEvent } from '@cim/contract';
import type { EventStore } from '@cim/event-store';

export interface SeedResult {
  events: number;
  seconds: number;
  rate: number;
  lastSequence: number;
}

/** Publishes events in bulk (pipelined), printing progress on one line. */
export const seedStage = async (
  store: EventStore,
  events: Iterable<InfrastructureEvent>,
  total: number,
  log: (line: string) => void,
): Promise<SeedResult> => {
  const started = performance.now();
  let lastPrint = 0;
  const result = await store.appendMany(events, {
    onProgress: (p) => {
      const now = performance.now();
      if (now - lastPrint > 1000) {
        lastPrint = now;
        const rate = p.acked / ((now - started) / 1000);
        log(
          `  seeding ${p.acked.toLocaleString()} / ${total.toLocaleString()} (${Math.round(rate).toLocaleString()} events/s)`,
        );
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    events: result.count,
    seconds,
    rate: result.count / seconds,
    lastSequence: result.lastSequence ?? 0,
  };
};
