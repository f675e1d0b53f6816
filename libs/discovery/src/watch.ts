import { setTimeout as sleep } from 'node:timers/promises';
import { collectFacts } from './collect-facts.js';
import { type CommandOutcome, type DiscoverOptions, type DiscoveryReport, discover } from './discover.js';
import type { Facts } from './facts.js';
import { StateFold } from './state-fold.js';

/** Default time between two discovery runs. */
export const DEFAULT_WATCH_INTERVAL_MS = 60_000;

/** Options of {@link watchDiscovery}: those of `discover`, plus the schedule and callbacks. */
export interface WatchDiscoveryOptions extends Omit<DiscoverOptions, 'facts' | 'fold'> {
  /** Pause between the end of one run and the start of the next. Default {@link DEFAULT_WATCH_INTERVAL_MS}. */
  intervalMs?: number;
  /**
   * Called after a run that planned more than the measurement: the machine changed (software
   * installed, upgraded or removed, an interface added, memory resized) or this is the first run.
   */
  onChange?: (changes: CommandOutcome[], report: DiscoveryReport) => void;
  /** Called after every run. */
  onRun?: (report: DiscoveryReport) => void;
  /** Called when a run throws (e.g. the command service is down); watching goes on. */
  onError?: (error: unknown) => void;
  /** Stops watching when aborted, like {@link DiscoveryWatch.stop}. */
  signal?: AbortSignal;
  /** Facts source, for tests and for callers that collect differently. Default `collectFacts(collect)`. */
  facts?: () => Promise<Facts>;
}

/** A running watch. */
export interface DiscoveryWatch {
  /** Runs finished so far (successful or not). */
  readonly runs: number;
  /** Resolves when the watch has stopped (after the run in progress finishes). */
  readonly done: Promise<void>;
  /** Stops after the run in progress; resolves with {@link done}. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Runs {@link discover} now and then every `intervalMs` until stopped. The state fold is kept between
 * runs, so each run reads only the events appended since the last one. Every run records a
 * measurement; other commands are planned only when the facts changed, and those are reported
 * through `onChange`.
 */
export function watchDiscovery(options: WatchDiscoveryOptions): DiscoveryWatch {
  const {
    intervalMs = DEFAULT_WATCH_INTERVAL_MS,
    onChange,
    onRun,
    onError,
    signal,
    facts,
    ...discoverOptions
  } = options;
  const stopper = new AbortController();
  const stopNow = () => stopper.abort();
  signal?.addEventListener('abort', stopNow, { once: true });
  if (signal?.aborted) stopNow();
  let runs = 0;
  let fold: StateFold | undefined;

  const loop = async () => {
    while (!stopper.signal.aborted) {
      try {
        const found = await (facts ? facts() : collectFacts(discoverOptions.collect));
        if (fold?.hostname !== found.hostname.trim().toLowerCase()) fold = new StateFold(found.hostname);
        const report = await discover({ ...discoverOptions, facts: found, fold });
        const changes = report.outcomes.filter((o) => o.command.name !== 'compute.record-measurement');
        onRun?.(report);
        if (changes.length > 0) onChange?.(changes, report);
      } catch (error) {
        onError?.(error);
      }
      runs++;
      await sleep(intervalMs, undefined, { signal: stopper.signal }).catch(() => {});
    }
  };
  const done = loop().finally(() => signal?.removeEventListener('abort', stopNow));
  return {
    get runs() {
      return runs;
    },
    done,
    stop: () => {
      stopNow();
      return done;
    },
  };
}
