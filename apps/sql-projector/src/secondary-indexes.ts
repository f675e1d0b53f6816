import { type Kysely, sql } from 'kysely';

/**
 * Indexes that serve reports and reads only, no write path. A replay into an empty model (a shadow
 * rebuild, a fresh store, a reset) loads without them and builds each once, by sorting, when it has
 * caught up: much cheaper than maintaining them row by row through a million-event replay (1M
 * events: PostgreSQL 16-18 vs 24-26 CPU s). A model that holds events keeps them at start.
 */
export const SECONDARY_INDEXES: readonly { name: string; table: string; columns: readonly string[] }[] = [
  { name: 'compute_resources_hostname', table: 'compute_resources', columns: ['hostname'] },
  { name: 'interface_addresses_network', table: 'interface_addresses', columns: ['network_id'] },
  { name: 'connections_a', table: 'connections', columns: ['a_resource_id', 'a_interface'] },
  { name: 'connections_b', table: 'connections', columns: ['b_resource_id', 'b_interface'] },
  { name: 'software_installations_resource', table: 'software_installations', columns: ['resource_id'] },
  { name: 'policy_targets_resource', table: 'policy_targets', columns: ['resource_id'] },
  { name: 'event_audit_aggregate', table: 'event_audit', columns: ['aggregate_id'] },
];

/** Creates the missing secondary indexes of `schema` and refreshes its planner statistics. */
export const ensureSecondaryIndexes = async <DB>(db: Kysely<DB>, schema: string): Promise<void> => {
  const builder = db.withSchema(schema).schema;
  for (const index of SECONDARY_INDEXES) {
    await builder
      .createIndex(index.name)
      .ifNotExists()
      .on(index.table)
      .columns([...index.columns])
      .execute();
  }
  // Fresh statistics, so the first reports on a just-built model get index plans.
  const tables = sql.join([...new Set(SECONDARY_INDEXES.map((i) => sql.id(schema, i.table)))]);
  await sql`ANALYZE ${tables}`.execute(db);
};

/** Drops the secondary indexes of `schema` (before a replay into its emptied tables). */
export const dropSecondaryIndexes = async <DB>(db: Kysely<DB>, schema: string): Promise<void> => {
  const builder = db.withSchema(schema).schema;
  for (const index of SECONDARY_INDEXES) await builder.dropIndex(index.name).ifExists().execute();
};
