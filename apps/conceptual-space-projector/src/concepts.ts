import { RESOURCE_TYPES, type ResourceTypeName } from '@cim/contract';
import { z } from 'zod';
import { combineDomains, domainDistances } from './distance.js';
import { type Domains, QUALITY_KEYS, type QualityKey } from './domains.js';
import { transformValue } from './normalization.js';

/**
 * Concepts are convex regions of the space around prototypes. A prototype starts at a seed (typical
 * qualities of the kind, in catalog units) and moves to the running mean of its labelled members:
 * per dimension, (w₀·seed + Σ members) / (w₀ + n), so a seed is one pseudo-member of weight w₀.
 */
export const ConceptConfig = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/, 'concept keys are lower_snake_case'),
  label: z.string(),
  /** Resource types whose resources are labelled members of this concept. */
  types: z.array(z.enum(RESOURCE_TYPES as [ResourceTypeName, ...ResourceTypeName[]])),
  /** Typical qualities in catalog units (cores, MiB, Mbit/s, share, …). */
  seed: z.partialRecord(z.enum(QUALITY_KEYS as [QualityKey, ...QualityKey[]]), z.number().nonnegative()),
  /** Fill colour in plots. */
  color: z.string().regex(/^#[0-9a-f]{6}$/i),
});
export type ConceptConfig = z.infer<typeof ConceptConfig>;

const GIB = 1024;

/** Default concepts; seeds are rough priors (published sizes in `data/instance-types.json` guided them). */
// biome-ignore format: one concept per row reads as a table
export const DEFAULT_CONCEPTS: readonly ConceptConfig[] = [
  { key: 'physical_server', label: 'Physical server', color: '#0072b2',
    types: ['physical_server', 'hypervisor', 'container_host', 'appliance', 'monitoring_appliance', 'auth_server', 'pbx'],
    seed: { cpu_cores: 32, memory_mb: 256 * GIB, storage_gb: 3840, network_bandwidth_mbps: 25_000, redundancy: 2, virtual_nic: 0 } },
  { key: 'virtual_machine', label: 'Virtual machine', color: '#e69f00', types: ['virtual_machine'],
    seed: { cpu_cores: 4, memory_mb: 16 * GIB, storage_gb: 100, network_bandwidth_mbps: 10_000, redundancy: 1, virtual_nic: 1 } },
  { key: 'container', label: 'Container', color: '#009e73', types: ['container'],
    seed: { cpu_cores: 1, memory_mb: 2 * GIB, storage_gb: 5, network_bandwidth_mbps: 1_000, redundancy: 1, virtual_nic: 1 } },
  { key: 'network_appliance', label: 'Network appliance', color: '#56b4e9',
    types: ['router', 'switch', 'layer3_switch', 'load_balancer', 'san_switch'],
    seed: { cpu_cores: 4, memory_mb: 16 * GIB, storage_gb: 32, network_bandwidth_mbps: 400_000, redundancy: 2, virtual_nic: 0 } },
  { key: 'security_appliance', label: 'Security appliance', color: '#d55e00', types: ['firewall', 'ids', 'vpn_gateway', 'waf'],
    seed: { cpu_cores: 8, memory_mb: 16 * GIB, storage_gb: 128, network_bandwidth_mbps: 10_000, connection_limit: 1_000_000, redundancy: 2, virtual_nic: 0 } },
  { key: 'storage_system', label: 'Storage system', color: '#cc79a7', types: ['storage_array', 'nas', 'backup_appliance'],
    seed: { cpu_cores: 16, memory_mb: 128 * GIB, storage_gb: 200_000, network_bandwidth_mbps: 25_000, redundancy: 2, virtual_nic: 0 } },
  { key: 'edge_device', label: 'Edge / IoT device', color: '#f0e442',
    types: ['edge_device', 'iot_gateway', 'sensor', 'access_point', 'video_conference'],
    seed: { cpu_cores: 2, memory_mb: 2 * GIB, storage_gb: 32, network_bandwidth_mbps: 1_000, redundancy: 1, virtual_nic: 0 } },
  { key: 'facility_device', label: 'Power & facility', color: '#999999', types: ['pdu', 'ups', 'environmental_monitor'],
    seed: { cpu_cores: 1, memory_mb: 256, storage_gb: 1, network_bandwidth_mbps: 100, redundancy: 1, virtual_nic: 0 } },
];

/** Weight of a seed against members, in members. @default 1 */
export const DEFAULT_SEED_WEIGHT = 1;

/** Validates concepts: unique keys, every resource type in at most one concept. */
export const compileConcepts = (input: readonly ConceptConfig[] = DEFAULT_CONCEPTS): ConceptConfig[] => {
  const concepts = z.array(ConceptConfig).min(1).parse(input);
  const owner = new Map<string, string>();
  for (const c of concepts) {
    if (concepts.filter((x) => x.key === c.key).length > 1)
      throw new Error(`concept '${c.key}' is defined twice`);
    for (const t of c.types) {
      const other = owner.get(t);
      if (other) throw new Error(`resource type '${t}' belongs to both '${other}' and '${c.key}'`);
      owner.set(t, c.key);
    }
  }
  return concepts;
};

/** Index of the concept a resource type is labelled with, or -1 when unlabelled (e.g. `unknown`). */
export const conceptIndexOfType = (concepts: readonly ConceptConfig[], type: string): number =>
  concepts.findIndex((c) => (c.types as readonly string[]).includes(type));

/** A seed as transformed coordinates (NaN where the seed says nothing). */
export const seedCoordinates = (space: Domains, concept: ConceptConfig): Float64Array => {
  const out = new Float64Array(space.dimensions.length).fill(Number.NaN);
  for (const dim of space.dimensions) {
    const v = concept.seed[dim.quality];
    if (v !== undefined) out[dim.index] = transformValue(dim.transform, v);
  }
  return out;
};

/** (w₀·seed + sum) / (w₀ + count) per dimension; the plain mean where there is no seed; NaN if neither. */
export const prototypeOf = (
  seed: ArrayLike<number>,
  sums: ArrayLike<number>,
  counts: ArrayLike<number>,
  seedWeight = DEFAULT_SEED_WEIGHT,
): Float64Array => {
  const out = new Float64Array(seed.length);
  for (let i = 0; i < seed.length; i++) {
    const s = seed[i]!;
    const n = counts[i]!;
    if (!Number.isNaN(s)) out[i] = (seedWeight * s + sums[i]!) / (seedWeight + n);
    else out[i] = n > 0 ? sums[i]! / n : Number.NaN;
  }
  return out;
};

const nanLast = (d: number) => (Number.isNaN(d) ? Number.POSITIVE_INFINITY : d);

/** A concept's degree of membership for one point. */
export interface Membership {
  readonly concept: number;
  readonly distance: number;
  readonly degree: number;
}

/**
 * Membership degrees of a point in every concept: similarities exp(−c·dₖ) normalised to sum to 1
 * (computed relative to the nearest prototype, so far-away points do not underflow to 0/0). The first
 * entry is the nearest prototype: the Voronoi cell the point falls in. Concepts whose prototype shares
 * no dimension with the point get degree 0; if none does, every degree is 0.
 */
export const memberships = (
  space: Domains,
  point: ArrayLike<number>,
  prototypes: readonly ArrayLike<number>[],
  decay: number,
): Membership[] => {
  const perDomain = new Float64Array(space.domains.length);
  const distances = prototypes.map((p) => combineDomains(space, domainDistances(space, point, p, perDomain)));
  let nearest = Number.POSITIVE_INFINITY;
  for (const d of distances) if (d < nearest) nearest = d;
  const weights = distances.map((d) => (Number.isNaN(d) ? 0 : Math.exp(-decay * (d - nearest))));
  const total = weights.reduce((a, b) => a + b, 0);
  return (
    distances
      .map((d, concept) => ({ concept, distance: d, degree: total > 0 ? weights[concept]! / total : 0 }))
      // By distance, not degree: two prototypes 1e-96 apart have equal degrees, yet one is nearer.
      .sort((a, b) => nanLast(a.distance) - nanLast(b.distance) || a.concept - b.concept)
  );
};
