/**
 * An independent reference for tests: what every exported series should read after a stream,
 * folded straight from the events with plain objects (no code shared with the adapter's model,
 * changes or series). Test fixture only.
 */
import { categoryOf, EVENT_TYPES, type InfrastructureEvent, RESOURCE_TYPES } from '@cim/contract';
import { FAMILIES } from '../metric-families.js';
import type { ModelSeries } from '../series.js';

/** Series as `name{a="x",b="y"}` (labels sorted by name) → value rounded to 12 significant digits. */
export type FlatSeries = Record<string, number>;

/** Rounds away floating-point noise of different summation orders. */
export const round = (v: number): number => Number(v.toPrecision(12));

/** The canonical key of a series, as Prometheus' API would identify it. */
export const seriesKey = (name: string, labels: Readonly<Record<string, string>>): string => {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`);
  return `${name}{${parts.join(',')}}`;
};

/** The adapter's series in the flat form (the subject side of a comparison). */
export const flatten = (series: ModelSeries): FlatSeries => {
  const out: FlatSeries = {};
  for (const [key, samples] of Object.entries(series))
    for (const s of samples)
      out[seriesKey(FAMILIES[key as keyof ModelSeries].name, s.labels)] = round(s.value);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
};

interface Resource {
  hostname: string;
  type: (typeof RESOURCE_TYPES)[number];
  status: string;
  order: number;
  latest: Record<string, number>;
}

const QUALITY_FIELDS = {
  cpu: 'cpu_utilization',
  memory: 'memory_utilization',
  disk: 'disk_utilization',
  error_rate: 'error_rate',
  latency: 'latency_ms',
  uptime: 'uptime_seconds',
} as const;

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length) - 1] ?? sorted[0]!;
};

/** The flat series a correct metrics projection exports after `events`, in stream order. */
export const referenceSeries = (
  events: readonly InfrastructureEvent[],
  options: { maxResourceSeries: number },
): FlatSeries => {
  const resources = new Map<string, Resource>();
  const decommissioned: Record<string, number> = {};
  const networks = new Set<string>();
  const connections = new Map<string, string>();
  const software = new Map<string, string>();
  const policies = new Map<string, string>();
  const counts: Record<string, number> = {};
  events.forEach((e, order) => {
    counts[e.event_type] = (counts[e.event_type] ?? 0) + 1;
    const id = e.aggregate_id;
    const r = resources.get(id);
    if (e.event_type === 'ComputeRegistered') {
      const p = e.payload;
      resources.set(id, { hostname: p.hostname, type: p.resource_type, status: 'active', order, latest: {} });
    } else if (e.event_type === 'ComputeUpdated' && r) {
      r.hostname = e.payload.hostname ?? r.hostname;
      r.type = e.payload.resource_type ?? r.type;
      r.status = e.payload.status ?? r.status;
    } else if (e.event_type === 'ComputeMeasured' && r) {
      for (const [quality, field] of Object.entries(QUALITY_FIELDS)) {
        const v = e.payload[field];
        if (v !== undefined) r.latest[quality] = field === 'latency_ms' ? v / 1000 : v;
      }
    } else if (e.event_type === 'ComputeDecommissioned' && r) {
      resources.delete(id);
      decommissioned[r.type] = (decommissioned[r.type] ?? 0) + 1;
    } else if (e.event_type === 'NetworkDefined') networks.add(id);
    else if (e.event_type === 'NetworkRemoved') networks.delete(id);
    else if (e.event_type === 'ConnectionEstablished') connections.set(id, 'established');
    else if (e.event_type === 'ConnectionSevered' && connections.has(id)) connections.set(id, 'severed');
    else if (e.event_type === 'SoftwareConfigured') software.set(id, e.payload.name);
    else if (e.event_type === 'SoftwareRemoved') software.delete(id);
    else if (e.event_type === 'PolicySet') policies.set(id, e.payload.kind);
    else if (e.event_type === 'PolicyRemoved') policies.delete(id);
  });

  const out: FlatSeries = {};
  const put = (name: string, labels: Record<string, string>, value: number) => {
    out[seriesKey(name, labels)] = round(value);
  };
  const live = [...resources.entries()];
  for (const type of RESOURCE_TYPES) {
    const category = categoryOf(type);
    for (const status of ['active', 'maintenance', 'degraded', 'offline'])
      put(
        'cim_resources',
        { category, type, status },
        live.filter(([, r]) => r.type === type && r.status === status).length,
      );
    put('cim_resources_decommissioned_total', { category, type }, decommissioned[type] ?? 0);
  }
  put('cim_networks', {}, networks.size);
  for (const status of ['established', 'severed'])
    put('cim_connections', { status }, [...connections.values()].filter((s) => s === status).length);
  for (const name of new Set(software.values()))
    put('cim_software_installations', { name }, [...software.values()].filter((n) => n === name).length);
  for (const kind of ['security', 'backup', 'patching', 'access', 'compliance', 'monitoring'])
    put('cim_policies', { kind }, [...policies.values()].filter((k) => k === kind).length);
  for (const type of EVENT_TYPES) put('cim_events_total', { event_type: type }, counts[type] ?? 0);

  const measured = live
    .filter(([, r]) => r.latest.cpu !== undefined || r.latest.memory !== undefined)
    .sort(([, a], [, b]) => a.order - b.order);
  for (const [id, r] of measured.slice(0, options.maxResourceSeries)) {
    const labels = { resource_id: id, hostname: r.hostname, type: r.type };
    if (r.latest.cpu !== undefined) put('cim_resource_cpu_utilization_ratio', labels, r.latest.cpu);
    if (r.latest.memory !== undefined) put('cim_resource_memory_utilization_ratio', labels, r.latest.memory);
  }
  put('cim_resource_series_omitted', {}, Math.max(0, measured.length - options.maxResourceSeries));

  for (const quality of Object.keys(QUALITY_FIELDS)) {
    const values = live.map(([, r]) => r.latest[quality]).filter((v): v is number => v !== undefined);
    put('cim_fleet_measured_resources', { quality }, values.length);
    if (values.length === 0) continue;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const [family, meanFamily, extra] =
      quality === 'cpu' || quality === 'memory' || quality === 'disk'
        ? ['cim_fleet_utilization_ratio', 'cim_fleet_mean_utilization_ratio', { quality }]
        : quality === 'error_rate'
          ? ['cim_fleet_error_ratio', 'cim_fleet_mean_error_ratio', {}]
          : [`cim_fleet_${quality}_seconds`, `cim_fleet_mean_${quality}_seconds`, {}];
    for (const q of ['0.5', '0.9', '0.99'])
      put(family, { ...extra, quantile: q }, quantile(values, Number(q)));
    put(meanFamily, extra, mean);
  }
  const over = (quality: string, min: number) =>
    live.filter(([, r]) => (r.latest[quality] ?? 0) >= min).length;
  put('cim_resources_anomalous', { reason: 'cpu_saturation' }, over('cpu', 0.95));
  put('cim_resources_anomalous', { reason: 'memory_exhaustion' }, over('memory', 0.95));
  put('cim_resources_anomalous', { reason: 'error_storm' }, over('error_rate', 0.05));
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
};
