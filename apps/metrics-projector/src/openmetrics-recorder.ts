import { FAMILIES, FAMILY_KEYS, type FamilyKey, type FamilySpec } from './metric-families.js';
import type { ModelSeries, Sample } from './series.js';

const ABSENT = Number.NaN;

interface SeriesHistory {
  readonly text: string;
  /** Change points: step index and the value from that step on (NaN: the series is absent). */
  readonly steps: number[];
  readonly values: number[];
  seenAt: number;
}

/** `{a="x",b="y"}` with OpenMetrics escaping (backslash, double quote, line feed). */
const labelText = (labels: Readonly<Record<string, string>>, names: readonly string[]): string => {
  if (names.length === 0) return '';
  const parts = names.map(
    (n) => `${n}="${(labels[n] ?? '').replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return `{${parts.join(',')}}`;
};

const numberText = (v: number): string =>
  Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);

/** OpenMetrics family name: counters drop `_total`, which only their samples carry. */
const familyName = (spec: FamilySpec): string =>
  spec.type === 'counter' ? spec.name.replace(/_total$/, '') : spec.name;

/**
 * Records the model's series at successive instants and writes them as one OpenMetrics text for
 * `promtool tsdb create-blocks-from openmetrics`. Memory grows with the number of value changes,
 * not with steps × series: each series keeps only the steps where its value changed, and is
 * expanded to one sample per step when written. Output follows OpenMetrics: one TYPE and HELP per
 * family, each family's samples together, each series' samples together in ascending time,
 * timestamps in seconds, and a final `# EOF`.
 */
export class OpenMetricsRecorder {
  private readonly times: number[] = [];
  private readonly families = new Map<FamilyKey, Map<string, SeriesHistory>>(
    FAMILY_KEYS.map((k) => [k, new Map()]),
  );

  /** Records every series of `series` at `timeMs` (which must increase from call to call). */
  record(timeMs: number, series: ModelSeries): void {
    const last = this.times[this.times.length - 1];
    if (last !== undefined && timeMs <= last) throw new Error(`steps must increase: ${timeMs} after ${last}`);
    const step = this.times.push(timeMs) - 1;
    for (const key of FAMILY_KEYS) this.recordFamily(key, step, series[key]);
  }

  private recordFamily(key: FamilyKey, step: number, samples: readonly Sample[]): void {
    const spec = FAMILIES[key];
    const histories = this.families.get(key)!;
    for (const s of samples) {
      const text = labelText(s.labels, spec.labelNames);
      let h = histories.get(text);
      if (!h) {
        h = { text, steps: [], values: [], seenAt: step };
        histories.set(text, h);
      }
      h.seenAt = step;
      const current = h.values[h.values.length - 1];
      if (current === undefined || !Object.is(current, s.value)) {
        h.steps.push(step);
        h.values.push(s.value);
      }
    }
    for (const h of histories.values()) {
      if (h.seenAt !== step && !Number.isNaN(h.values[h.values.length - 1]!)) {
        h.steps.push(step);
        h.values.push(ABSENT);
      }
    }
  }

  /** Steps recorded so far. */
  get stepCount(): number {
    return this.times.length;
  }

  /** Writes the OpenMetrics text in chunks through `write`; resolves to the number of samples written. */
  async write(write: (chunk: string) => Promise<void>): Promise<{ samples: number; series: number }> {
    let samples = 0;
    let seriesCount = 0;
    const seconds = this.times.map((t) => String(t / 1000));
    for (const key of FAMILY_KEYS) {
      const spec = FAMILIES[key];
      const family = familyName(spec);
      await write(`# TYPE ${family} ${spec.type}\n# HELP ${family} ${spec.help}\n`);
      for (const h of this.families.get(key)!.values()) {
        const lines: string[] = [];
        for (let c = 0; c < h.steps.length; c++) {
          const value = h.values[c]!;
          if (Number.isNaN(value)) continue;
          const end = h.steps[c + 1] ?? this.times.length;
          const head = `${spec.name}${h.text} ${numberText(value)} `;
          for (let step = h.steps[c]!; step < end; step++) lines.push(`${head}${seconds[step]}\n`);
        }
        if (lines.length === 0) continue;
        seriesCount++;
        samples += lines.length;
        await write(lines.join(''));
      }
    }
    await write('# EOF\n');
    return { samples, series: seriesCount };
  }
}
