import { describe, expect, it } from 'vitest';
import { DEFAULT_DOMAINS } from './domains.js';
import { spaceEnvSchema } from './env.js';
import { SpaceError } from './errors.js';
import { resolveSpaceConfig } from './space-config.js';

describe('space configuration', () => {
  it('lays domains out contiguously with the defaults', () => {
    const c = resolveSpaceConfig();
    expect(c.domains.map((d) => d.key)).toEqual(['capacity', 'performance', 'reliability', 'platform']);
    for (const d of c.domains)
      for (let i = d.start; i < d.end; i++) expect(c.dimensions[i]!.domain).toBe(c.domains.indexOf(d));
  });

  it('changes the fingerprint only for what the stored model depends on', () => {
    const base = resolveSpaceConfig().fingerprint;
    expect(resolveSpaceConfig({ similarityDecay: 3, anomalyQuantile: 0.9 }).fingerprint).toBe(base);
    expect(
      resolveSpaceConfig({ domains: DEFAULT_DOMAINS.map((d) => ({ ...d, weight: 2 })) }).fingerprint,
    ).toBe(base);
    expect(resolveSpaceConfig({ emaAlpha: 0.5 }).fingerprint).not.toBe(base);
  });

  it('rejects contradictions with the offending field named', () => {
    expect(() => resolveSpaceConfig({ emaAlpha: 0 })).toThrow(/emaAlpha/);
    expect(() => resolveSpaceConfig({ emaAlpha: 0 })).toThrow(SpaceError);
    const twice = [...DEFAULT_DOMAINS, { ...DEFAULT_DOMAINS[0]!, key: 'again' }];
    expect(() => resolveSpaceConfig({ domains: twice })).toThrow(/quality 'cpu_cores' is used twice/);
  });

  it('parses the environment with the documented defaults', () => {
    const env = spaceEnvSchema.parse({});
    expect(env).toMatchObject({
      DB_SCHEMA: 'space',
      METRICS_PORT: 9475,
      SPACE_QUERY_PREFIX: 'cim.query.space',
      MAX_BATCH: 8000,
    });
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(spaceEnvSchema.safeParse({ SPACE_QUERY_PREFIX: 'cim.query.>' }).success).toBe(false);
  });
});
