import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { SqlProjectorError } from '../errors.js';
import { tablesMigration } from './001-tables.js';
import { reportingViewsMigration } from './002-reporting-views.js';
import { checkpointGuardMigration } from './003-checkpoint-guard.js';

/**
 * The migrations of a read model in `schema`, as a static provider (no file-system scanning, so it
 * works from source, from `dist` and in a bundle). Names sort in the order they must run.
 */
export const migrationProvider = (schema: string): MigrationProvider => ({
  getMigrations: async (): Promise<Record<string, Migration>> => ({
    '001_tables': tablesMigration(schema),
    '002_reporting_views': reportingViewsMigration(schema),
    '003_checkpoint_guard': checkpointGuardMigration(schema),
  }),
});

/**
 * Creates `schema` if needed and brings it to the latest migration. Kysely's bookkeeping tables live
 * in the same schema, so a shadow copy has its own history and takes it along when swapped in.
 */
export const migrateToLatest = async <DB>(db: Kysely<DB>, schema: string): Promise<string[]> => {
  const migrator = new Migrator({
    db,
    provider: migrationProvider(schema),
    migrationTableSchema: schema,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'setup';
    throw new SqlProjectorError(
      'MIGRATION_FAILED',
      `migration ${failed} of schema ${schema} failed: ${String((error as Error).message ?? error)}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
};
