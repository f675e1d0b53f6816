import type { Logger } from '@cim/projection-kit';

/** What the schedule needs of the adapter. */
export interface Snapshotting {
  saveSnapshot(): Promise<number | undefined>;
}

/**
 * Saves a snapshot every `everyMs` (skipped when nothing changed), never two at once, and a last
 * one at `stop()`, so a restart replays only what arrived after it.
 */
export const scheduleSnapshots = (
  adapter: Snapshotting,
  everyMs: number,
  logger: Logger,
): { stop(): Promise<void> } => {
  let running: Promise<void> = Promise.resolve();
  const save = () => {
    running = running.then(async () => {
      const started = Date.now();
      try {
        const sequence = await adapter.saveSnapshot();
        if (sequence !== undefined)
          logger.info({ sequence, ms: Date.now() - started }, 'model snapshot saved');
      } catch (error) {
        logger.warn({ err: error }, 'model snapshot failed; the next start replays further');
      }
    });
    return running;
  };
  const timer = setInterval(save, everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return save();
    },
  };
};
