import type { EvaluationReport } from './evaluation.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** A few examples that do not all repeat the same label pair. */
const pickVaried = <T extends { a: string; b: string }>(pairs: readonly T[], n: number): T[] => {
  const kind = (p: T) => `${p.a.replace(/.*\(/, '')}~${p.b.replace(/.*\(/, '')}`;
  const seen = new Map<string, number>();
  const out: T[] = [];
  for (const p of pairs) {
    const k = kind(p);
    if ((seen.get(k) ?? 0) >= 3) continue;
    seen.set(k, (seen.get(k) ?? 0) + 1);
    out.push(p);
    if (out.length === n) break;
  }
  return out;
};

const matrix = (m: Record<string, Record<string, number>>): string[] => {
  const cols = [...new Set(Object.values(m).flatMap((r) => Object.keys(r)))].sort();
  const rows = Object.keys(m).sort();
  const w = Math.max(18, ...rows.map((r) => r.length)) + 2;
  const cw = Math.max(6, ...cols.map((c) => Math.min(c.length, 10))) + 1;
  const cell = (s: string) => s.slice(0, cw - 1).padStart(cw);
  return [
    `${'label \\ predicted'.padEnd(w)}${cols.map(cell).join('')}`,
    ...rows.map((r) => `${r.padEnd(w)}${cols.map((c) => cell(String(m[r]![c] ?? '·'))).join('')}`),
  ];
};

/** The report as text for a terminal (what `evaluate-main` and `cim space evaluate` print). */
export const formatEvaluation = (r: EvaluationReport): string => {
  const it = r.instanceTypes;
  const a = r.anomalies;
  return [
    '# Conceptual space: evaluation',
    '',
    `## Published instance types (${it.total} entries, data/instance-types.json)`,
    `method: ${it.method}`,
    `accuracy: ${pct(it.accuracy)} (${it.correct}/${it.total}); always answering the most common label: ${pct(it.majorityBaseline)}`,
    ...Object.entries(it.perConcept).map(([k, v]) => `  ${k.padEnd(20)} ${v.correct}/${v.total}`),
    ...matrix(it.matrix).map((l) => `  ${l}`),
    `misclassified (${it.misclassified.length}): ${it.misclassified
      .slice(0, 25)
      .map((m) => `${m.name} (${m.label} → ${m.predicted})`)
      .join(', ')}${it.misclassified.length > 25 ? ', …' : ''}`,
    `inseparable: ${it.inseparable.length} pairs with different labels and (nearly) the same published qualities, e.g.`,
    ...pickVaried(it.inseparable, 14).map((p) => `  ${p.a}  ~  ${p.b}  (d = ${p.distance.toFixed(3)})`),
    '',
    `## Generated fleet (seed ${r.fleet.seed}, ${r.fleet.resources} resources, ${r.fleet.events} events)`,
    `method: ${r.fleet.method}`,
    `accuracy: ${pct(r.fleet.accuracy)} (${r.fleet.correct}/${r.fleet.total})`,
    ...Object.entries(r.fleet.perConcept).map(([k, v]) => `  ${k.padEnd(20)} ${v.correct}/${v.total}`),
    ...matrix(r.fleet.matrix).map((l) => `  ${l}`),
    '',
    `## Anomalies (seed ${a.seed}): threshold ${a.threshold.toFixed(3)} on the distance to the nearest prototype`,
    `planted ${a.planted}, measured ${a.measured}, flagged ${a.flagged}, true positives ${a.truePositives}`,
    `precision ${pct(a.precision)}, recall ${pct(a.recall)}`,
    ...Object.entries(a.byKind).map(([k, v]) => `  ${k.padEnd(16)} found ${v.found}/${v.measured}`),
    '',
  ].join('\n');
};
