import { type Kysely, sql } from 'kysely';
import { type DatabaseTarget, type OpenDatabase, openDatabase } from './database.js';
import { SqlProjectorError } from './errors.js';
import type { Database } from './schema.js';
import { validSchemaName } from './schema-name.js';

/** The read model as report queries see it: the live schema of an open database. */
export interface ReadModel {
  /** Queries scoped to the live schema (`withSchema`). */
  readonly db: Kysely<Database>;
  readonly schema: string;
  readonly kind: OpenDatabase['kind'];
  /** Closes the connection if the read model opened it; a borrowed database stays open. */
  close(): Promise<void>;
}

/** A PostgreSQL URL, a PGlite data directory (or `memory://`), or a full target. */
export type ReadModelSource = string | DatabaseTarget;

export interface ReadModelOptions {
  /** @default 'cim' */
  schema?: string;
}

/** A read model over a database someone else owns (e.g. the adapter's PGlite instance). */
export const readModelOf = (database: OpenDatabase, options: ReadModelOptions = {}): ReadModel => {
  const schema = validSchemaName(options.schema ?? 'cim');
  return { db: database.db.withSchema(schema), schema, kind: database.kind, close: async () => {} };
};

/**
 * Opens the read model for reports. Fails with `READ_MODEL_MISSING` when the schema has no model
 * yet (the projector has not run). An embedded PGlite directory can be open in one process only:
 * stop the projector, or query its PostgreSQL instead.
 */
export const openReadModel = async (
  source: ReadModelSource,
  options: ReadModelOptions = {},
): Promise<ReadModel> => {
  const target: DatabaseTarget =
    typeof source !== 'string'
      ? source
      : /^postgres(ql)?:\/\//.test(source)
        ? { url: source }
        : { pglite: source };
  const database = await openDatabase(target);
  const model = readModelOf(database, options);
  try {
    const { rows } = await sql<{
      found: string | null;
    }>`SELECT to_regclass(${`${model.schema}.compute_resources`})::text AS found`.execute(database.db);
    if (!rows[0]?.found)
      throw new SqlProjectorError(
        'READ_MODEL_MISSING',
        `no read model in schema '${model.schema}': start the sql projector first`,
      );
  } catch (error) {
    await database.close();
    throw error;
  }
  return { ...model, close: () => database.close() };
};
