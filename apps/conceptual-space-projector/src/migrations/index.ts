import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './0001-initial.js';

/** Migrations of a store in `schema`, by name; names sort in the order they apply. */
export const spaceMigrations = (schema: string): MigrationProvider => ({
  getMigrations: async (): Promise<Record<string, Migration>> => ({
    '0001-initial': initial(schema),
  }),
});
