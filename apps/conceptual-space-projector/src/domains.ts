import { z } from 'zod';

/**
 * The quality dimensions this projector can observe, with where each comes from:
 * - `capacity`: a field of ComputeRegistered / ComputeUpdated, replaced on every update;
 * - `measurement`: a field of ComputeMeasured, smoothed by an exponential moving average;
 * - `evidence`: derived from the interfaces the resource reports (see `qualities.ts`).
 */
export const QUALITIES = {
  cpu_cores: { source: 'capacity', unit: 'cores' },
  memory_mb: { source: 'capacity', unit: 'MiB' },
  storage_gb: { source: 'capacity', unit: 'GB' },
  network_bandwidth_mbps: { source: 'capacity', unit: 'Mbit/s' },
  connection_limit: { source: 'capacity', unit: 'connections' },
  redundancy: { source: 'capacity', unit: 'units' },
  cpu_utilization: { source: 'measurement', unit: 'ratio' },
  memory_utilization: { source: 'measurement', unit: 'ratio' },
  disk_utilization: { source: 'measurement', unit: 'ratio' },
  network_throughput_mbps: { source: 'measurement', unit: 'Mbit/s' },
  disk_iops: { source: 'measurement', unit: 'IOPS' },
  latency_ms: { source: 'measurement', unit: 'ms' },
  uptime_seconds: { source: 'measurement', unit: 's' },
  error_rate: { source: 'measurement', unit: 'ratio' },
  latency_variance: { source: 'measurement', unit: 'ms²' },
  virtual_nic: { source: 'evidence', unit: '0 = hardware NIC, 1 = only virtual NICs' },
} as const;

/** A quality the projector knows how to read from events. */
export type QualityKey = keyof typeof QUALITIES;
export const QUALITY_KEYS = Object.keys(QUALITIES) as QualityKey[];

/**
 * How a raw value becomes a coordinate before z-scoring. `log` is `log2(x + offset)`: capacities span
 * 0.25 cores to hundreds, 256 MiB to 4 TiB, so equal ratios (2 → 4 cores, 64 → 128 cores) should be
 * equal steps; the offset keeps zero finite and says below which value differences stop mattering.
 */
export const Transform = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('linear') }),
  z.object({ kind: z.literal('log'), offset: z.number().positive() }),
]);
export type Transform = z.infer<typeof Transform>;

const log = (offset: number): Transform => ({ kind: 'log', offset });
const linear: Transform = { kind: 'linear' };

export const DimensionConfig = z.object({
  quality: z.enum(QUALITY_KEYS as [QualityKey, ...QualityKey[]]),
  /** Relative weight inside its domain. @default 1 */
  weight: z.number().positive().default(1),
  transform: Transform,
});
export type DimensionConfig = z.infer<typeof DimensionConfig>;

export const DomainConfig = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/, 'domain keys are lower_snake_case'),
  label: z.string(),
  /** Salience: the domain's weight in the city-block sum across domains. @default 1 */
  weight: z.number().positive().default(1),
  dimensions: z.array(DimensionConfig).min(1, 'a domain needs at least one dimension'),
});
export type DomainConfig = z.infer<typeof DomainConfig>;

/**
 * Default domains (Gärdenfors: integral dimensions grouped into separable domains). Offsets sit
 * just below the smallest meaningful value of each quality; weights were tuned with `evaluate`.
 */
export const DEFAULT_DOMAINS: readonly DomainConfig[] = [
  {
    key: 'capacity',
    label: 'Capacity',
    weight: 1,
    dimensions: [
      { quality: 'cpu_cores', weight: 1, transform: log(1 / 16) },
      { quality: 'memory_mb', weight: 1, transform: log(16) },
      { quality: 'storage_gb', weight: 1, transform: log(0.1) },
      { quality: 'network_bandwidth_mbps', weight: 1, transform: log(1) },
      { quality: 'connection_limit', weight: 1, transform: log(1) },
    ],
  },
  {
    key: 'performance',
    label: 'Performance',
    weight: 1,
    dimensions: [
      { quality: 'cpu_utilization', weight: 1, transform: linear },
      { quality: 'memory_utilization', weight: 1, transform: linear },
      { quality: 'network_throughput_mbps', weight: 1, transform: log(0.01) },
      { quality: 'disk_iops', weight: 1, transform: log(1) },
      { quality: 'latency_ms', weight: 1, transform: log(0.01) },
    ],
  },
  {
    key: 'reliability',
    label: 'Reliability',
    weight: 1,
    dimensions: [
      { quality: 'uptime_seconds', weight: 1, transform: log(1) },
      { quality: 'error_rate', weight: 1, transform: log(1e-4) },
      { quality: 'latency_variance', weight: 1, transform: log(0.01) },
      { quality: 'redundancy', weight: 1, transform: linear },
    ],
  },
  {
    key: 'platform',
    label: 'Platform',
    weight: 0.5,
    dimensions: [{ quality: 'virtual_nic', weight: 1, transform: linear }],
  },
];

/** One dimension of a compiled space, at its index in every coordinate array. */
export interface Dimension {
  readonly index: number;
  readonly quality: QualityKey;
  readonly domain: number;
  readonly weight: number;
  readonly transform: Transform;
}

/** Domains and dimensions laid out for fast loops: a domain's dimensions are contiguous. */
export interface Domains {
  readonly domains: readonly { key: string; label: string; weight: number; start: number; end: number }[];
  readonly dimensions: readonly Dimension[];
  /** Index of a quality's dimension, or undefined when the space does not use it. */
  indexOf(quality: QualityKey): number | undefined;
}

/** Validates domains and lays them out; throws a readable error for duplicate keys or qualities. */
export const compileDomains = (input: readonly DomainConfig[] = DEFAULT_DOMAINS): Domains => {
  const parsed = z.array(DomainConfig).min(1).parse(input);
  const domains: { key: string; label: string; weight: number; start: number; end: number }[] = [];
  const dimensions: Dimension[] = [];
  const byQuality = new Map<QualityKey, number>();
  for (const d of parsed) {
    if (domains.some((x) => x.key === d.key)) throw new Error(`domain '${d.key}' is defined twice`);
    const start = dimensions.length;
    for (const dim of d.dimensions) {
      if (byQuality.has(dim.quality)) throw new Error(`quality '${dim.quality}' is used twice`);
      byQuality.set(dim.quality, dimensions.length);
      dimensions.push({ index: dimensions.length, ...dim, domain: domains.length });
    }
    domains.push({ key: d.key, label: d.label, weight: d.weight, start, end: dimensions.length });
  }
  return { domains, dimensions, indexOf: (q) => byQuality.get(q) };
};
