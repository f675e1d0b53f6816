import { type Kysely, type Migration, sql } from 'kysely';

/** The store's tables; `points` is a view of z-scored coordinates for SQL readers. */
export const initial = (schema: string): Migration => ({
  async up(db: Kysely<unknown>) {
    const s = db.schema.withSchema(schema);
    await s
      .createTable('meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('dimensions')
      .addColumn('position', 'integer', (c) => c.primaryKey())
      .addColumn('quality', 'text', (c) => c.notNull().unique())
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('transform', 'jsonb', (c) => c.notNull())
      .addColumn('n', 'float8', (c) => c.notNull().defaultTo(0))
      .addColumn('mean', 'float8', (c) => c.notNull().defaultTo(0))
      .addColumn('m2', 'float8', (c) => c.notNull().defaultTo(0))
      .execute();
    await s
      .createTable('concepts')
      .addColumn('position', 'integer', (c) => c.primaryKey())
      .addColumn('key', 'text', (c) => c.notNull().unique())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('types', sql`text[]`, (c) => c.notNull())
      .addColumn('seed', sql`float8[]`, (c) => c.notNull())
      .addColumn('members', 'float8', (c) => c.notNull().defaultTo(0))
      .addColumn('sums', sql`float8[]`, (c) => c.notNull())
      .addColumn('counts', sql`float8[]`, (c) => c.notNull())
      .addColumn('prototype', sql`float8[]`, (c) => c.notNull())
      .execute();
    // Measurements rewrite most rows constantly: half of each page is left free so updates stay HOT
    // (no index writes), and autovacuum returns dead versions early instead of at 20% of the table.
    await s
      .createTable('resources')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('hostname', 'text', (c) => c.notNull())
      .addColumn('resource_type', 'text', (c) => c.notNull())
      .addColumn('concept', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('coords', sql`float8[]`, (c) => c.notNull())
      .addColumn('samples', 'integer', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('registered_seq', 'bigint', (c) => c.notNull())
      .addColumn('updated_seq', 'bigint', (c) => c.notNull())
      .modifyEnd(
        sql`with (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0)`,
      )
      .execute();
    const t = (name: string) => sql.table(`${schema}.${name}`);
    // z = (coordinate − mean) / max(population sd, 0.05), as the query side computes it by default.
    await sql`
      CREATE VIEW ${t('points')} AS
      SELECT r.id, r.hostname, r.resource_type, r.concept, r.status,
             ARRAY(SELECT (r.coords[d.position + 1] - d.mean)
                          / greatest(CASE WHEN d.n > 1 THEN sqrt(d.m2 / d.n) ELSE 0 END, 0.05)
                   FROM ${t('dimensions')} d ORDER BY d.position) AS z
      FROM ${t('resources')} r
      WHERE r.status <> 'decommissioned'`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.withSchema(schema).dropView('points').ifExists().execute();
    for (const table of ['resources', 'concepts', 'dimensions', 'meta'])
      await db.schema.withSchema(schema).dropTable(table).ifExists().execute();
  },
});
