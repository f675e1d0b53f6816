import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConceptConfig, compileConcepts, DEFAULT_CONCEPTS, DEFAULT_SEED_WEIGHT } from './concepts.js';
import { compileDomains, DEFAULT_DOMAINS, DomainConfig, type Domains } from './domains.js';
import { SpaceError } from './errors.js';
import { DEFAULT_MIN_SCALE } from './normalization.js';
import { DEFAULT_SIMILARITY_DECAY } from './similarity.js';

/** Everything that shapes the space, as a JSON file may give it (every field optional). */
export const SpaceConfigInput = z.object({
  domains: z.array(DomainConfig).optional(),
  concepts: z.array(ConceptConfig).optional(),
  /** Weight of each new measurement in the moving average, 0 < α ≤ 1. @default 0.3 */
  emaAlpha: z.number().gt(0).max(1).optional(),
  /** c in exp(−c·d). @default 1 */
  similarityDecay: z.number().positive().optional(),
  /** Seed weight in members. @default 1 */
  seedWeight: z.number().nonnegative().optional(),
  /** Smallest z-score scale. @default 0.05 */
  minScale: z.number().positive().optional(),
  /** Quantile of nearest-prototype distances taken as the anomaly threshold. @default 0.98 */
  anomalyQuantile: z.number().gt(0.5).lt(1).optional(),
  /** Threshold floor as a multiple of the median nearest-prototype distance. @default 2 */
  anomalyMedianFactor: z.number().positive().optional(),
});
export type SpaceConfigInput = z.input<typeof SpaceConfigInput>;

/** A validated space: domains laid out, concepts checked, tuning resolved. */
export interface SpaceConfig extends Domains {
  readonly concepts: readonly ConceptConfig[];
  readonly emaAlpha: number;
  readonly similarityDecay: number;
  readonly seedWeight: number;
  readonly minScale: number;
  readonly anomalyQuantile: number;
  readonly anomalyMedianFactor: number;
  /**
   * What the stored model depends on (dimensions, transforms, α, concept membership and seeds). A
   * store built under another fingerprint is rebuilt; weights, decay and thresholds apply at read time.
   */
  readonly fingerprint: string;
}

/** @default 0.3: a new measurement moves a coordinate 30% of the way (half-life about two samples). */
export const DEFAULT_EMA_ALPHA = 0.3;
/** @default 0.98 */
export const DEFAULT_ANOMALY_QUANTILE = 0.98;
/** @default 2 */
export const DEFAULT_ANOMALY_MEDIAN_FACTOR = 2;

/** Validates and compiles a space; throws with the offending field named. */
export const resolveSpaceConfig = (input: SpaceConfigInput = {}): SpaceConfig => {
  const result = SpaceConfigInput.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new SpaceError('INVALID_CONFIG', `invalid space configuration: ${issues}`);
  }
  const parsed = result.data;
  let domains: Domains;
  let concepts: ConceptConfig[];
  try {
    domains = compileDomains(parsed.domains ?? DEFAULT_DOMAINS);
    concepts = compileConcepts(parsed.concepts ?? DEFAULT_CONCEPTS);
  } catch (e) {
    throw new SpaceError('INVALID_CONFIG', `invalid space configuration: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const emaAlpha = parsed.emaAlpha ?? DEFAULT_EMA_ALPHA;
  const seedWeight = parsed.seedWeight ?? DEFAULT_SEED_WEIGHT;
  const fingerprint = JSON.stringify({
    dimensions: domains.dimensions.map((d) => [d.quality, d.transform]),
    emaAlpha,
    seedWeight,
    concepts: concepts.map((c) => [c.key, c.types, c.seed]),
  });
  return {
    ...domains,
    concepts,
    emaAlpha,
    seedWeight,
    similarityDecay: parsed.similarityDecay ?? DEFAULT_SIMILARITY_DECAY,
    minScale: parsed.minScale ?? DEFAULT_MIN_SCALE,
    anomalyQuantile: parsed.anomalyQuantile ?? DEFAULT_ANOMALY_QUANTILE,
    anomalyMedianFactor: parsed.anomalyMedianFactor ?? DEFAULT_ANOMALY_MEDIAN_FACTOR,
    fingerprint,
  };
};

/** Reads a JSON space configuration file (the `SPACE_CONFIG_FILE` of the projector). */
export const loadSpaceConfig = async (path: string | undefined): Promise<SpaceConfig> => {
  if (!path) return resolveSpaceConfig();
  const text = await readFile(path, 'utf8');
  const parsed = SpaceConfigInput.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new SpaceError('INVALID_CONFIG', `invalid space configuration in ${path}: ${issues}`);
  }
  return resolveSpaceConfig(parsed.data);
};
