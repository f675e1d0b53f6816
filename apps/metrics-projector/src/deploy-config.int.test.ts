import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProjectorMetrics } from '@cim/projection-kit';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FAMILIES } from './metric-families.js';
import { dashboardExprs } from './testing/dashboard-exprs.js';
import { GRAFANA_DASHBOARDS_DIR, PROMETHEUS_DEPLOY_DIR } from './testing/paths.js';
import { promtool } from './testing/prometheus-server.js';

const RULES = ['rules/recording.yml', 'rules/alerts.yml'].map((f) => join(PROMETHEUS_DEPLOY_DIR, f));
const RULE_TESTS = ['rules/recording.test.yml', 'rules/alerts.test.yml'].map((f) =>
  join(PROMETHEUS_DEPLOY_DIR, f),
);

const expectSuccess = async (args: string[]) => {
  const { code, output } = await promtool(args);
  expect(code, `promtool ${args.join(' ')}\n${output}`).toBe(0);
  return output;
};

describe('deploy/prometheus with promtool', () => {
  it.each(['prometheus.yml', 'compose.yml'])(
    'has a valid configuration %s, which loads both rule files',
    async (file) => {
      const out = await expectSuccess(['check', 'config', join(PROMETHEUS_DEPLOY_DIR, file)]);
      expect(out).toMatch(/SUCCESS: 2 rule files found/);
    },
  );

  it('has valid rules', async () => {
    await expectSuccess(['check', 'rules', ...RULES]);
  });

  it('passes its rule unit tests', async () => {
    await expectSuccess(['test', 'rules', ...RULE_TESTS]);
  });

  it('would notice a broken rule file and a failing rule test (the checks can fail)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cim-rules-'));
    try {
      await writeFile(
        join(dir, 'bad.yml'),
        'groups:\n  - name: x\n    rules:\n      - record: a:b\n        expr: sum(\n',
      );
      expect((await promtool(['check', 'rules', join(dir, 'bad.yml')])).code).not.toBe(0);
      const alerts = await readFile(RULES[1]!, 'utf8');
      await writeFile(join(dir, 'alerts.yml'), alerts.replace('> 10000', '> 90000'));
      const test = await readFile(RULE_TESTS[1]!, 'utf8');
      await writeFile(join(dir, 'alerts.test.yml'), test);
      expect((await promtool(['test', 'rules', join(dir, 'alerts.test.yml')])).code).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('metric names in rules and dashboards', () => {
  it('are all exported by a projector (or are the conceptual space app’s cim_space_anomalies)', async () => {
    const registry = new Registry();
    createProjectorMetrics(registry);
    const known = new Set<string>([
      ...Object.values(FAMILIES).map((f) => f.name),
      ...(await registry.getMetricsAsJSON()).map((m) => m.name),
      'cim_space_anomalies',
    ]);
    // Histograms are queried through their _bucket/_sum/_count series.
    const base = (n: string) => n.replace(/_(bucket|sum|count)$/, '');
    const texts = [
      ...(await Promise.all(RULES.map((f) => readFile(f, 'utf8')))),
      ...(await dashboardExprs(GRAFANA_DASHBOARDS_DIR)).map((e) => e.expr),
    ];
    const used = new Set(texts.flatMap((t) => t.match(/(?<![:\w])cim_[a-z_]+(?![:\w])/g) ?? []));
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((n) => !known.has(n) && !known.has(base(n)))).toEqual([]);
  });
});
