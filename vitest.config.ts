import { defineConfig } from 'vitest/config';

// Sibling workspace packages resolve to their TypeScript source through the `@cim/source`
// export condition, so tests never run against a stale `dist`.
// Only the extra condition is added for externals: a full list containing `import` would make CommonJS
// packages (pg requiring pg-pool) load ESM builds.
const conditions = ['@cim/source', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@cim/source'] } },
  test: {
    include: ['libs/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    pool: 'forks',
    // Integration tests start real processes and servers; a loaded 2-core machine needs headroom.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
