import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeEvent, type InfrastructureEvent } from '@cim/contract';
import type { StoredEvent } from '@cim/event-store';
import { applyChange } from './apply-change.js';
import { Journal } from './journal.js';
import { changesOf } from './model.js';
import { emptyModel } from './model-state.js';
import { OpenMetricsRecorder } from './openmetrics-recorder.js';
import { type ModelSeries, modelSeries } from './series.js';

/** File the backfill writes inside `out`. @default 'cim-metrics.om' */
export const BACKFILL_FILE_NAME = 'cim-metrics.om';

export interface BackfillOptions {
  /** The stream in order: stored events (decoded here; undecodable ones are skipped) or decoded events. */
  events: AsyncIterable<StoredEvent | InfrastructureEvent> | Iterable<StoredEvent | InfrastructureEvent>;
  /** First sampled instant (a Date, epoch milliseconds or ISO-8601 text). */
  from: Date | number | string;
  /** Last sampled instant, inclusive when it falls on a step (a Date, epoch milliseconds or ISO-8601 text). */
  to: Date | number | string;
  /** Distance between samples in milliseconds, e.g. 60_000. */
  stepMs: number;
  /** Directory the OpenMetrics file is written into (created if missing). */
  out: string;
  /**
   * Resources with their own utilization series at each step. Default 0: history of the
   * infrastructure series and fleet aggregates only (per-resource history is steps × resources).
   */
  maxResourceSeries?: number;
}

export interface BackfillResult {
  /** The OpenMetrics file written. */
  file: string;
  steps: number;
  series: number;
  samples: number;
  /** Events folded (including those before `from`). */
  events: number;
  /** Stored events that failed to decode (poison), left out as the projector's DLQ would. */
  skipped: number;
  /** The command that turns the file into TSDB blocks for a Prometheus data directory. */
  promtoolCommand: string;
}

const isStored = (e: StoredEvent | InfrastructureEvent): e is StoredEvent => 'data' in e && 'sequence' in e;

/**
 * Replays the stream through the metrics fold and writes the series the projector would have
 * exported at every step from `from` to `to` as OpenMetrics text with timestamps, for
 * `promtool tsdb create-blocks-from openmetrics FILE DIR`.
 *
 * Time is the events' `occurred_at`; the sample at instant t is the model after every event up to
 * the first one occurring after t, taken in stream order (the order the projector applies them).
 */
export const backfillOpenMetrics = async (options: BackfillOptions): Promise<BackfillResult> => {
  const { stepMs } = options;
  const from = new Date(options.from).getTime();
  const to = new Date(options.to).getTime();
  if (!(stepMs > 0) || !Number.isFinite(from) || !Number.isFinite(to) || to < from)
    throw new RangeError(
      `backfill needs valid times with from <= to and a positive step (from ${options.from}, to ${options.to}, step ${stepMs} ms)`,
    );
  const seriesOptions = { maxResourceSeries: options.maxResourceSeries ?? 0 };
  const model = emptyModel();
  const journal = new Journal();
  const recorder = new OpenMetricsRecorder();
  let cached: { version: number; series: ModelSeries } | undefined;
  const sample = (): ModelSeries => {
    if (cached?.version !== model.version)
      cached = { version: model.version, series: modelSeries(model, seriesOptions) };
    return cached.series;
  };

  let next = from;
  let order = 0;
  let skipped = 0;
  for await (const item of options.events) {
    let event: InfrastructureEvent;
    if (isStored(item)) {
      const decoded = decodeEvent(item.data);
      if (!decoded.ok) {
        skipped++;
        continue;
      }
      event = decoded.event;
    } else {
      event = item;
    }
    const at = Date.parse(event.occurred_at);
    for (; next <= to && next < at; next += stepMs) recorder.record(next, sample());
    // Stream order is (nearly) time order: the rest of the stream lies beyond the range.
    if (next > to) break;
    order++;
    for (const change of changesOf(event, order)) applyChange(model, change, journal);
    journal.commit(); // nothing is ever undone here
    model.version++;
  }
  for (; next <= to; next += stepMs) recorder.record(next, sample());

  await mkdir(options.out, { recursive: true });
  const file = join(options.out, BACKFILL_FILE_NAME);
  const stream = createWriteStream(file, { encoding: 'utf8' });
  const done = new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.once('finish', resolve);
  });
  const write = (chunk: string) =>
    stream.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => stream.once('drain', resolve));
  const written = await recorder.write(write);
  stream.end();
  await done;
  return {
    file,
    steps: recorder.stepCount,
    ...written,
    events: order,
    skipped,
    promtoolCommand: `promtool tsdb create-blocks-from openmetrics ${file} DATA_DIR`,
  };
};
