import { defineConfig } from 'vitest/config';

// Sibling workspace packages resolve to their TypeScript source through the `@cim/source`
// export condition, so tests never run against a stale `dist`.
const conditions = ['@cim/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ['libs/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
