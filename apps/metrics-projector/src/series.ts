import { categoryOf, EVENT_TYPES, RESOURCE_TYPES } from '@cim/contract';
import { summarize } from './fleet-statistics.js';
import { FAMILIES, type FamilyKey } from './metric-families.js';
import type { MetricsModel, Qualities, ResourceRow } from './model-state.js';

/** One series value: its labels (in the family's label order) and its value. */
export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Samples of every family, keyed like {@link FAMILIES}. */
export type ModelSeries = Record<FamilyKey, Sample[]>;

export interface SeriesOptions {
  /** Most resources with per-resource series; the rest count in the fleet aggregates only. */
  maxResourceSeries: number;
}

const STATUSES = ['active', 'maintenance', 'degraded', 'offline'] as const;
const CONNECTION_STATUSES = ['established', 'severed'] as const;
const POLICY_KINDS = ['security', 'backup', 'patching', 'access', 'compliance', 'monitoring'] as const;

/** Thresholds of `cim_resources_anomalous`, by reason. */
export const ANOMALY_THRESHOLDS = {
  /** CPU utilization at or above. */
  cpu_saturation: 0.95,
  /** Memory utilization at or above. */
  memory_exhaustion: 0.95,
  /** Error rate at or above. */
  error_storm: 0.05,
} as const;

const countValues = (map: ReadonlyMap<string, string>): Map<string, number> => {
  const counts = new Map<string, number>();
  map.forEach((v) => {
    counts.set(v, (counts.get(v) ?? 0) + 1);
  });
  return counts;
};

const STATUS_INDEX = { active: 0, maintenance: 1, degraded: 2, offline: 3 } as const;

const inventory = (model: MetricsModel): Pick<ModelSeries, 'resources' | 'decommissioned'> => {
  const live = new Map<string, number[]>(RESOURCE_TYPES.map((t) => [t, [0, 0, 0, 0]]));
  model.resources.forEach((r) => {
    const counts = live.get(r.type);
    if (counts) counts[STATUS_INDEX[r.status]]!++;
  });
  const resources: Sample[] = [];
  const decommissioned: Sample[] = [];
  for (const type of RESOURCE_TYPES) {
    const category = categoryOf(type);
    const counts = live.get(type)!;
    STATUSES.forEach((status, i) => {
      resources.push({ labels: { category, type, status }, value: counts[i]! });
    });
    decommissioned.push({ labels: { category, type }, value: model.decommissioned.get(type) ?? 0 });
  }
  return { resources, decommissioned };
};

const isMeasured = (row: ResourceRow) =>
  !Number.isNaN(row.qualities.cpu) || !Number.isNaN(row.qualities.memory);

/**
 * The earliest registered live resources that reported CPU or memory (at most `max`), and how many
 * measured ones are left out. Map order is registration order, except after a rolled-back
 * decommission or a re-registration; only then, and only when the bound bites, is a sort needed.
 */
const exportedResources = (
  model: MetricsModel,
  max: number,
): { rows: [string, ResourceRow][]; omitted: number } => {
  const rows: [string, ResourceRow][] = [];
  let measured = 0;
  let ordered = true;
  let last = -Infinity;
  model.resources.forEach((row, id) => {
    if (!isMeasured(row)) return;
    measured++;
    if (row.registeredAt < last) ordered = false;
    last = row.registeredAt;
    if (rows.length < max) rows.push([id, row]);
  });
  const omitted = Math.max(0, measured - max);
  if (ordered || omitted === 0) return { rows, omitted };
  const all: [string, ResourceRow][] = [];
  model.resources.forEach((row, id) => {
    if (isMeasured(row)) all.push([id, row]);
  });
  all.sort((a, b) => a[1].registeredAt - b[1].registeredAt);
  return { rows: all.slice(0, max), omitted };
};

const perResource = (
  model: MetricsModel,
  max: number,
): Pick<ModelSeries, 'resourceCpu' | 'resourceMemory' | 'seriesOmitted'> => {
  const { rows, omitted } = exportedResources(model, max);
  const resourceCpu: Sample[] = [];
  const resourceMemory: Sample[] = [];
  for (const [id, row] of rows) {
    const labels = { resource_id: id, hostname: row.hostname, type: row.type };
    if (!Number.isNaN(row.qualities.cpu)) resourceCpu.push({ labels, value: row.qualities.cpu });
    if (!Number.isNaN(row.qualities.memory)) resourceMemory.push({ labels, value: row.qualities.memory });
  }
  return { resourceCpu, resourceMemory, seriesOmitted: [{ labels: {}, value: omitted }] };
};

const QUALITY_LABELS = {
  cpu: 'cpu',
  memory: 'memory',
  disk: 'disk',
  errorRate: 'error_rate',
  latencySeconds: 'latency',
  uptimeSeconds: 'uptime',
} as const satisfies Record<keyof Qualities, string>;

type FleetKeys =
  | 'utilization'
  | 'meanUtilization'
  | 'errorRatio'
  | 'meanErrorRatio'
  | 'latency'
  | 'meanLatency'
  | 'uptime'
  | 'meanUptime'
  | 'measured'
  | 'anomalous';

const QUALITIES = Object.keys(QUALITY_LABELS) as (keyof Qualities)[];

/** Each quality's reported values over live resources, and how many cross each anomaly threshold. */
const collectQualities = (model: MetricsModel) => {
  const size = model.resources.size;
  const columns = QUALITIES.map(() => new Float64Array(size));
  const [cpu, memory, disk, errorRate, latency, uptime] = columns as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const filled = [0, 0, 0, 0, 0, 0];
  const anomalous = { cpu_saturation: 0, memory_exhaustion: 0, error_storm: 0 };
  const t = ANOMALY_THRESHOLDS;
  // Written out field by field: this runs over every live resource at each scrape, and fixed
  // property names keep it monomorphic (NaN: "not reported").
  for (const { qualities: q } of model.resources.values()) {
    if (!Number.isNaN(q.cpu)) cpu[filled[0]!++] = q.cpu;
    if (!Number.isNaN(q.memory)) memory[filled[1]!++] = q.memory;
    if (!Number.isNaN(q.disk)) disk[filled[2]!++] = q.disk;
    if (!Number.isNaN(q.errorRate)) errorRate[filled[3]!++] = q.errorRate;
    if (!Number.isNaN(q.latencySeconds)) latency[filled[4]!++] = q.latencySeconds;
    if (!Number.isNaN(q.uptimeSeconds)) uptime[filled[5]!++] = q.uptimeSeconds;
    if (q.cpu >= t.cpu_saturation) anomalous.cpu_saturation++;
    if (q.memory >= t.memory_exhaustion) anomalous.memory_exhaustion++;
    if (q.errorRate >= t.error_storm) anomalous.error_storm++;
  }
  return { columns: columns.map((c, i) => c.subarray(0, filled[i])), anomalous };
};

const fleet = (model: MetricsModel): Pick<ModelSeries, FleetKeys> => {
  const { columns, anomalous } = collectQualities(model);
  const out: Pick<ModelSeries, FleetKeys> = {
    utilization: [],
    meanUtilization: [],
    errorRatio: [],
    meanErrorRatio: [],
    latency: [],
    meanLatency: [],
    uptime: [],
    meanUptime: [],
    measured: [],
    anomalous: Object.entries(anomalous).map(([reason, value]) => ({ labels: { reason }, value })),
  };
  const targets = {
    errorRate: ['errorRatio', 'meanErrorRatio'],
    latencySeconds: ['latency', 'meanLatency'],
    uptimeSeconds: ['uptime', 'meanUptime'],
  } as const;
  QUALITIES.forEach((q, i) => {
    const quality = QUALITY_LABELS[q];
    const summary = summarize(columns[i]!);
    out.measured.push({ labels: { quality }, value: summary?.count ?? 0 });
    if (!summary) return;
    if (q === 'cpu' || q === 'memory' || q === 'disk') {
      for (const [quantile, value] of summary.quantiles)
        out.utilization.push({ labels: { quality, quantile }, value });
      out.meanUtilization.push({ labels: { quality }, value: summary.mean });
    } else {
      const [quantiles, mean] = targets[q];
      for (const [quantile, value] of summary.quantiles) out[quantiles].push({ labels: { quantile }, value });
      out[mean].push({ labels: {}, value: summary.mean });
    }
  });
  return out;
};

const byLabel = (map: ReadonlyMap<string, number>, label: string, keys: Iterable<string>): Sample[] =>
  [...keys].map((k) => ({ labels: { [label]: k }, value: map.get(k) ?? 0 }));

/**
 * Every exported series, derived from the model alone (pure): what `/metrics` shows and what the
 * backfill writes at each step. Families with a closed set of label values (types, statuses, kinds,
 * event types) list every value, 0 included, so series never vanish and reappear in dashboards.
 */
export const modelSeries = (model: MetricsModel, options: SeriesOptions): ModelSeries => {
  const software = countValues(model.software);
  return {
    ...inventory(model),
    networks: [{ labels: {}, value: model.networks.size }],
    connections: byLabel(countValues(model.connections), 'status', CONNECTION_STATUSES),
    software: byLabel(software, 'name', [...software.keys()].sort()),
    policies: byLabel(countValues(model.policies), 'kind', POLICY_KINDS),
    events: byLabel(model.events, 'event_type', EVENT_TYPES),
    ...perResource(model, options.maxResourceSeries),
    ...fleet(model),
  };
};
