/** One exported metric family: the single definition the live registry and the backfill share. */
export interface FamilySpec {
  /** Prometheus name; counters end in `_total`. */
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly labelNames: readonly string[];
}

const gauge = (name: string, help: string, labelNames: readonly string[] = []): FamilySpec => ({
  name,
  help,
  type: 'gauge',
  labelNames,
});
const counter = (name: string, help: string, labelNames: readonly string[] = []): FamilySpec => ({
  name,
  help,
  type: 'counter',
  labelNames,
});

/**
 * Every series family the metrics read model exports. Base units (ratios 0..1, seconds), `cim_`
 * prefix, `_total` on counters. Counters here count events of the stream, so they restart from 0
 * only when the model is rebuilt (Prometheus reads that as a counter reset).
 */
export const FAMILIES = {
  resources: gauge(
    'cim_resources',
    'Live compute resources by category, type and status (every combination, 0 included)',
    ['category', 'type', 'status'],
  ),
  decommissioned: counter('cim_resources_decommissioned_total', 'Resources decommissioned, by type', [
    'category',
    'type',
  ]),
  networks: gauge('cim_networks', 'Defined networks not removed'),
  connections: gauge('cim_connections', 'Connections by their last status', ['status']),
  software: gauge('cim_software_installations', 'Live software installations by software name', ['name']),
  policies: gauge('cim_policies', 'Live policies by kind', ['kind']),
  events: counter('cim_events_total', 'Events applied to the metrics model, by event type', ['event_type']),
  resourceCpu: gauge(
    'cim_resource_cpu_utilization_ratio',
    'Latest CPU utilization per resource (the MAX_RESOURCE_SERIES earliest registered measured resources)',
    ['resource_id', 'hostname', 'type'],
  ),
  resourceMemory: gauge(
    'cim_resource_memory_utilization_ratio',
    'Latest memory utilization per resource (the MAX_RESOURCE_SERIES earliest registered measured resources)',
    ['resource_id', 'hostname', 'type'],
  ),
  seriesOmitted: gauge(
    'cim_resource_series_omitted',
    'Measured resources beyond MAX_RESOURCE_SERIES: in the fleet aggregates only, without their own series',
  ),
  utilization: gauge(
    'cim_fleet_utilization_ratio',
    'Nearest-rank quantile of the latest utilization of live resources',
    ['quality', 'quantile'],
  ),
  meanUtilization: gauge('cim_fleet_mean_utilization_ratio', 'Mean latest utilization of live resources', [
    'quality',
  ]),
  errorRatio: gauge(
    'cim_fleet_error_ratio',
    'Nearest-rank quantile of the latest error rate of live resources',
    ['quantile'],
  ),
  meanErrorRatio: gauge('cim_fleet_mean_error_ratio', 'Mean latest error rate of live resources'),
  latency: gauge(
    'cim_fleet_latency_seconds',
    'Nearest-rank quantile of the latest latency of live resources',
    ['quantile'],
  ),
  meanLatency: gauge('cim_fleet_mean_latency_seconds', 'Mean latest latency of live resources'),
  uptime: gauge('cim_fleet_uptime_seconds', 'Nearest-rank quantile of the latest uptime of live resources', [
    'quantile',
  ]),
  meanUptime: gauge('cim_fleet_mean_uptime_seconds', 'Mean latest uptime of live resources'),
  measured: gauge('cim_fleet_measured_resources', 'Live resources that reported the quality', ['quality']),
  anomalous: gauge(
    'cim_resources_anomalous',
    'Live resources whose latest measurement crosses a threshold (cpu or memory >= 0.95, error rate >= 0.05)',
    ['reason'],
  ),
} as const satisfies Record<string, FamilySpec>;

export type FamilyKey = keyof typeof FAMILIES;

/** Family keys in export order. */
export const FAMILY_KEYS = Object.keys(FAMILIES) as FamilyKey[];
