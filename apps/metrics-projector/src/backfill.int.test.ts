import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '@cim/event-store';
import { generateFleet } from '@cim/fleet-generator';
import { DEFAULT_NATS_URL, reachNats, uniqueName } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillOpenMetrics } from './backfill-openmetrics.js';
import {
  type PrometheusServer,
  promtool,
  startPrometheus,
  type VectorSample,
} from './testing/prometheus-server.js';
import { type FlatSeries, referenceSeries, round, seriesKey } from './testing/reference-series.js';

const MINUTE = 60_000;
// Recent history (Prometheus serves it whatever its age, but recent is what operators backfill).
const from = Math.floor((Date.now() - 6 * 60 * MINUTE) / MINUTE) * MINUTE;
const to = from + 4 * 60 * MINUTE;
const events = [
  ...generateFleet({
    resources: 40,
    events: 3_000,
    seed: 21,
    start: new Date(from + 90_000),
    eventSpacingMs: 5_000,
  }),
];

const flat = (vector: VectorSample[]): FlatSeries => {
  const out: FlatSeries = {};
  for (const { metric, value } of vector) {
    const { __name__: name, ...labels } = metric;
    out[seriesKey(name!, labels)] = round(Number(value[1]));
  }
  return out;
};

describe('history backfill from events', () => {
  let nc: NatsConnection;
  let store: EventStore;
  let dir: string;
  let prometheus: PrometheusServer;
  let result: Awaited<ReturnType<typeof backfillOpenMetrics>>;
  const root = uniqueName('bf');

  beforeAll(async () => {
    const { url } = await reachNats(process.env.NATS_URL || DEFAULT_NATS_URL);
    nc = await connect({ servers: url, noAsyncTraces: true });
    store = await EventStore.open(nc, { stream: { name: root.toUpperCase(), subjectRoot: root } });
    await store.appendMany(events.slice(0, 500));
    await nc.request(`${root}.compute.registered`, '{not json'); // poison: skipped, as the DLQ would
    await store.appendMany(events.slice(500));
    dir = await mkdtemp(join(tmpdir(), 'cim-backfill-'));
    result = await backfillOpenMetrics({
      events: store.readAll(),
      from: new Date(from),
      to: new Date(to),
      stepMs: MINUTE,
      out: join(dir, 'om'),
    });
    const created = await promtool([
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      result.file,
      join(dir, 'data'),
    ]);
    expect(created.code, created.output).toBe(0);
    prometheus = await startPrometheus({
      config: 'global: { scrape_interval: 15s }\n',
      dataDir: join(dir, 'data'),
    });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await (await jetstreamManager(nc)).streams.delete(root.toUpperCase()).catch(() => {});
    await store?.close();
    await nc?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes OpenMetrics for every step, skipping the undecodable event', async () => {
    expect(result).toMatchObject({ steps: 241, skipped: 1 });
    expect(result.events).toBeLessThanOrEqual(events.length);
    const text = await readFile(result.file, 'utf8');
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(text).toMatch(new RegExp(`^cim_networks 0 ${from / 1000}$`, 'm'));
  });

  it.each([
    ['before the first event', 0],
    ['right after the inventory import', 3],
    ['mid-history', 137],
    ['at the end of the range', 240],
  ])('answers a query at a past instant (%s) with what the fold predicts then', async (_what, minutes) => {
    const at = from + minutes * MINUTE;
    const expected = referenceSeries(
      events.filter((e) => Date.parse(e.occurred_at) <= at),
      { maxResourceSeries: 0 },
    );
    const got = flat(await prometheus.query('{__name__=~"cim_.+"}', at / 1000));
    expect(got).toEqual(expected);
  });

  it('shows the inventory growing over time in a range query', async () => {
    const params = new URLSearchParams({
      query: 'sum(cim_resources)',
      start: String(from / 1000),
      end: String(to / 1000),
      step: '600',
    });
    const body = (await (await fetch(`${prometheus.url}/api/v1/query_range?${params}`)).json()) as {
      data: { result: { values: [number, string][] }[] };
    };
    const values = body.data.result[0]!.values.map(([, v]) => Number(v));
    expect(values[0]).toBe(0);
    expect(Math.max(...values)).toBe(40);
  });
});
