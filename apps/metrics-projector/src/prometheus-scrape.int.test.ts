import { join } from 'node:path';
import type { InfrastructureEvent } from '@cim/contract';
import { EventStore } from '@cim/event-store';
import { generateFleet } from '@cim/fleet-generator';
import { parseEnv, type RunningProjector, runProjector, silentLogger } from '@cim/projection-kit';
import { DEFAULT_NATS_URL, reachNats, uniqueName, waitFor } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsEnvSchema } from './env.js';
import { refreshLag } from './lag-refresh.js';
import { registerModelMetrics } from './metrics.js';
import { MetricsAdapter } from './metrics-adapter.js';
import { dashboardExprs } from './testing/dashboard-exprs.js';
import { GRAFANA_DASHBOARDS_DIR, PROMETHEUS_DEPLOY_DIR } from './testing/paths.js';
import { type PrometheusServer, startPrometheus, type VectorSample } from './testing/prometheus-server.js';
import { type FlatSeries, referenceSeries, round, seriesKey } from './testing/reference-series.js';

const MAX_SERIES = 25;
const FLEET = { resources: 60, seed: 11 };
const all = [...generateFleet({ ...FLEET, events: 2_000 })];
const seeded = all.slice(0, 1_500); // the generator is lazy: a shorter stream is a prefix

/** The model's series as Prometheus returns them, in the reference's flat form. */
const flat = (vector: VectorSample[]): FlatSeries => {
  const out: FlatSeries = {};
  for (const { metric, value } of vector) {
    const { __name__: name, job: _j, instance: _i, app: _a, ...labels } = metric;
    out[seriesKey(name!, labels)] = round(Number(value[1]));
  }
  return out;
};

const MODEL_SERIES = '{__name__=~"cim_.+", __name__!~"cim_projector_.+", job="cim-projectors"}';

describe('metrics projector scraped by a real Prometheus', () => {
  let nc: NatsConnection;
  let store: EventStore;
  let running: RunningProjector;
  let prometheus: PrometheusServer;
  let stopLag: () => void;
  const root = uniqueName('mp');
  const stream = root.toUpperCase();
  const name = `metrics_${root}`;

  beforeAll(async () => {
    const { url } = await reachNats(process.env.NATS_URL || DEFAULT_NATS_URL);
    nc = await connect({ servers: url, noAsyncTraces: true });
    store = await EventStore.open(nc, { stream: { name: stream, subjectRoot: root } });
    await store.appendMany(seeded);
    const env = parseEnv(metricsEnvSchema, {
      NATS_URL: url,
      EVENT_STREAM: stream,
      SUBJECT_ROOT: root,
      ADMIN_PREFIX: `admin_${root}`,
      DLQ_PREFIX: `dlq_${root}`,
      DLQ_STREAM: `${stream}_DLQ`,
      METRICS_PORT: '0',
      PROJECTOR_NAME: name,
      MAX_RESOURCE_SERIES: String(MAX_SERIES),
    });
    const adapter = new MetricsAdapter({ name, maxResourceSeries: env.MAX_RESOURCE_SERIES });
    const registry = new Registry();
    registerModelMetrics(registry, adapter);
    running = await runProjector({ adapter, env, registry, logger: silentLogger });
    stopLag = refreshLag(running.projector, 500);
    const target = new URL(running.url).host;
    prometheus = await startPrometheus({
      config: [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'rule_files:',
        `  - ${join(PROMETHEUS_DEPLOY_DIR, 'rules/recording.yml')}`,
        `  - ${join(PROMETHEUS_DEPLOY_DIR, 'rules/alerts.yml')}`,
        'scrape_configs:',
        '  - job_name: cim-projectors',
        `    static_configs: [{ targets: ['${target}'], labels: { app: metrics-projector } }]`,
      ].join('\n'),
    });
  });

  afterAll(async () => {
    stopLag?.();
    await prometheus?.stop();
    await running?.stop();
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => {});
    await jsm.streams.delete(`${stream}_DLQ`).catch(() => {});
    await store?.close();
    await nc?.close();
  });

  /** Waits until Prometheus has scraped the model after `events` and returns its series. */
  const scrapedAfter = async (events: readonly InfrastructureEvent[]): Promise<FlatSeries> => {
    await waitFor(
      async () => {
        const [applied] = await prometheus.query(`sum(cim_events_total{job="cim-projectors"})`);
        return Number(applied?.value[1]) === events.length;
      },
      {
        timeoutMs: 30_000,
        intervalMs: 250,
        message: `Prometheus to scrape the model after ${events.length} events`,
      },
    );
    return flat(await prometheus.query(MODEL_SERIES));
  };

  it('exports, through Prometheus, exactly what a fold of the seeded events predicts', async () => {
    const expected = referenceSeries(seeded, { maxResourceSeries: MAX_SERIES });
    expect(await scrapedAfter(seeded)).toEqual(expected);
    expect(expected['cim_resource_series_omitted{}']).toBeGreaterThan(0);
  });

  it('follows live events, and its lag reaches 0', async () => {
    await store.appendMany(all.slice(seeded.length));
    expect(await scrapedAfter(all)).toEqual(referenceSeries(all, { maxResourceSeries: MAX_SERIES }));
    await waitFor(
      async () => {
        const [lag] = await prometheus.query(`cim_projector_lag_events{projector="${name}"}`);
        const [checkpoint] = await prometheus.query(`cim_projector_checkpoint_sequence{projector="${name}"}`);
        return lag?.value[1] === '0' && Number(checkpoint?.value[1]) === all.length;
      },
      { timeoutMs: 20_000, intervalMs: 250, message: 'lag 0 and checkpoint at the stream end in Prometheus' },
    );
  });

  it('evaluates the recording rules over the scraped series', async () => {
    const expected = referenceSeries(all, { maxResourceSeries: MAX_SERIES });
    const total = Object.entries(expected)
      .filter(([k]) => k.startsWith('cim_resources{'))
      .reduce((sum, [, v]) => sum + v, 0);
    await waitFor(async () => Number((await prometheus.query('cim:resources:sum'))[0]?.value[1]) === total, {
      timeoutMs: 20_000,
      intervalMs: 250,
      message: `cim:resources:sum = ${total}`,
    });
  });

  it('runs every Grafana dashboard expression without a query error', async () => {
    const exprs = await dashboardExprs(GRAFANA_DASHBOARDS_DIR);
    expect(exprs.length).toBeGreaterThan(30);
    const failures: string[] = [];
    let withData = 0;
    for (const { dashboard, where, expr } of exprs) {
      try {
        if ((await prometheus.query(expr)).length > 0) withData++;
      } catch (error) {
        failures.push(`${dashboard} / ${where}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    // Only series nobody exports in this test (the conceptual space, DLQ, process metrics) may be empty.
    expect(withData).toBeGreaterThan(exprs.length * 0.75);
  });
});
