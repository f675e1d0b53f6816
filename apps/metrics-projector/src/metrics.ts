import { Counter, Gauge, type Registry } from 'prom-client';
import { FAMILIES, FAMILY_KEYS, type FamilyKey } from './metric-families.js';
import type { ModelSeries } from './series.js';

/** Where the registry reads the committed model's series from at each scrape. */
export interface SeriesSource {
  /** Series of the last committed state (cached until the next commit). */
  series(): ModelSeries;
}

/**
 * Registers every {@link FAMILIES} family on the app's registry. Values are copied from the model
 * when Prometheus scrapes (prom-client's `collect`), not after every batch: a replay of 1M events
 * commits ~500 batches, and recomputing fleet quantiles for each would cost more than the fold. The
 * source caches by model version, so a scrape recomputes only after a commit, and only committed
 * state is ever exported.
 */
export const registerModelMetrics = (registry: Registry, source: SeriesSource): void => {
  for (const key of FAMILY_KEYS) register(registry, key, source);
};

const register = (registry: Registry, key: FamilyKey, source: SeriesSource): void => {
  const spec = FAMILIES[key];
  const config = { name: spec.name, help: spec.help, labelNames: spec.labelNames, registers: [registry] };
  if (spec.type === 'counter') {
    new Counter({
      ...config,
      collect(this: Counter<string>) {
        this.reset();
        for (const s of source.series()[key]) this.inc(s.labels, s.value);
      },
    });
  } else {
    new Gauge({
      ...config,
      collect(this: Gauge<string>) {
        this.reset();
        for (const s of source.series()[key]) this.set(s.labels, s.value);
      },
    });
  }
};
