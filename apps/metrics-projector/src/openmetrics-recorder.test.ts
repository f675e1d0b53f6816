import { describe, expect, it } from 'vitest';
import { emptyModel } from './model-state.js';
import { OpenMetricsRecorder } from './openmetrics-recorder.js';
import { type ModelSeries, modelSeries } from './series.js';

const text = async (recorder: OpenMetricsRecorder) => {
  const chunks: string[] = [];
  await recorder.write(async (c) => {
    chunks.push(c);
  });
  return chunks.join('');
};

const base = (): ModelSeries => modelSeries(emptyModel(), { maxResourceSeries: 10 });

describe('OpenMetricsRecorder', () => {
  it('writes one TYPE per family, samples grouped per family and per series in time order, then # EOF', async () => {
    const recorder = new OpenMetricsRecorder();
    const s1 = base();
    s1.software = [{ labels: { name: 'nginx' }, value: 2 }];
    const s2 = base();
    s2.software = [
      { labels: { name: 'nginx' }, value: 3 },
      { labels: { name: 'we"ird\\name\n' }, value: 1 },
    ];
    recorder.record(60_000, s1);
    recorder.record(120_000, s2);
    recorder.record(180_500, s2);
    const out = await text(recorder);
    const lines = out.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('# EOF');
    const types = lines.filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toContain('cim_events');
    expect(out).toContain('# TYPE cim_events counter\n');
    expect(out).toMatch(/^cim_events_total\{event_type="ComputeRegistered"\} 0 60$/m);
    expect(out).not.toMatch(/^cim_events\{/m);
    const software = lines.filter((l) => l.startsWith('cim_software_installations{'));
    expect(software).toEqual([
      'cim_software_installations{name="nginx"} 2 60',
      'cim_software_installations{name="nginx"} 3 120',
      'cim_software_installations{name="nginx"} 3 180.5',
      'cim_software_installations{name="we\\"ird\\\\name\\n"} 1 120',
      'cim_software_installations{name="we\\"ird\\\\name\\n"} 1 180.5',
    ]);
    // Families are contiguous: after a family's first sample, no other family's sample intervenes.
    const familyOf = (l: string) => l.split(/[{ ]/)[0]!.replace(/_total$/, '');
    const order = lines.filter((l) => !l.startsWith('#')).map(familyOf);
    const firstSeen = order.filter((f, i) => order.indexOf(f) === i);
    expect(order.filter((f, i) => i === 0 || f !== order[i - 1])).toEqual(firstSeen);
  });

  it('leaves a series out at the steps where it did not exist', async () => {
    const recorder = new OpenMetricsRecorder();
    const withX = base();
    withX.software = [{ labels: { name: 'x' }, value: 1 }];
    recorder.record(1_000, withX);
    recorder.record(2_000, base());
    recorder.record(3_000, withX);
    const out = await text(recorder);
    expect(out.split('\n').filter((l) => l.startsWith('cim_software_installations'))).toEqual([
      'cim_software_installations{name="x"} 1 1',
      'cim_software_installations{name="x"} 1 3',
    ]);
  });

  it('refuses steps that do not increase', () => {
    const recorder = new OpenMetricsRecorder();
    recorder.record(1_000, base());
    expect(() => recorder.record(1_000, base())).toThrow(/increase/);
  });
});
