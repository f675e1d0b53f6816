import { ensureCheckpointTable, type SqlExecutor } from '@cim/projection-kit';
import { CompiledQuery, type Kysely, Migrator, sql } from 'kysely';
import { seedCoordinates } from './concepts.js';
import { SpaceError } from './errors.js';
import { spaceMigrations } from './migrations/index.js';
import { CHECKPOINT_TABLE, type SpaceDatabase } from './schema.js';
import type { SpaceConfig } from './space-config.js';

/** SQL of the store's layout: schema setup and reset (writes: `space-writes.ts`, loading: `load-model.ts`). */

/** The store's kysely instance or a transaction on it. */
export type Db = Kysely<SpaceDatabase>;

/** The kit's checkpoint helpers speak pg's `query(text, values)`; this runs them through kysely. */
export const sqlExecutor = (db: Db): SqlExecutor => ({
  async query(text, values = []) {
    const result = await db.executeQuery(CompiledQuery.raw(text, values));
    return { rows: result.rows as Record<string, unknown>[] };
  },
});

export const checkpointTable = (schema: string) => `${schema}.${CHECKPOINT_TABLE}`;

const toJsonArray = (values: ArrayLike<number>) => Array.from(values, (v) => (Number.isNaN(v) ? null : v));

/** Creates or migrates the schema. Returns true when the store was (re)built for this configuration. */
export const migrateStore = async (db: Db, schema: string, config: SpaceConfig): Promise<boolean> => {
  await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);
  const migrator = new Migrator({
    db,
    provider: spaceMigrations(schema),
    migrationTableSchema: schema,
  });
  const { error } = await migrator.migrateToLatest();
  if (error)
    throw new SpaceError(
      'MIGRATION_FAILED',
      `migrating schema ${schema} failed: ${(error as Error).message}`,
      { cause: error },
    );
  await ensureCheckpointTable(sqlExecutor(db), checkpointTable(schema));
  const stored = await db
    .withSchema(schema)
    .selectFrom('meta')
    .select('value')
    .where('key', '=', 'fingerprint')
    .executeTakeFirst();
  if (stored?.value === config.fingerprint) return false;
  await db.transaction().execute((trx) => resetStore(trx, schema, config));
  return true;
};

/** Empties the model and lays out dimension and concept rows for `config` (one transaction). */
export const resetStore = async (db: Db, schema: string, config: SpaceConfig) => {
  const s = db.withSchema(schema);
  await sql`TRUNCATE ${sql.table(`${schema}.resources`)}, ${sql.table(checkpointTable(schema))}`.execute(db);
  await s.deleteFrom('dimensions').execute();
  await s.deleteFrom('concepts').execute();
  await s
    .insertInto('dimensions')
    .values(
      config.dimensions.map((d) => ({
        position: d.index,
        quality: d.quality,
        domain: config.domains[d.domain]!.key,
        transform: JSON.stringify(d.transform),
        n: 0,
        mean: 0,
        m2: 0,
      })),
    )
    .execute();
  const zeros = config.dimensions.map(() => 0);
  await s
    .insertInto('concepts')
    .values(
      config.concepts.map((c, position) => {
        const seed = toJsonArray(seedCoordinates(config, c));
        return {
          position,
          key: c.key,
          label: c.label,
          types: c.types,
          seed,
          members: 0,
          sums: zeros,
          counts: zeros,
          prototype: seed,
        };
      }),
    )
    .execute();
  await s
    .insertInto('meta')
    .values({ key: 'fingerprint', value: config.fingerprint })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: config.fingerprint }))
    .execute();
};
