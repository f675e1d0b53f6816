import { ensureCheckpointTable } from '@cim/projection-kit';
import { type Kysely, type Migration, sql } from 'kysely';
import { checkpointTableIn, executorOf } from '../checkpoint-table.js';

type AnyDb = Kysely<unknown>;

/**
 * The tables of the read model, in `schema`, with the keys and constraints writes rely on; indexes
 * that only serve reads are in secondary-indexes.ts, so a rebuild can bulk-load first and index
 * after. Foreign keys hold where the stream guarantees the
 * parent exists first (an event breaking one is poison, not a crash); connection endpoints have none
 * because an update may replace the interfaces a (severed) connection names.
 */
export const tablesMigration = (schema: string): Migration => ({
  async up(db: AnyDb) {
    const s = db.withSchema(schema).schema;
    const ref = (table: string) => `${schema}.${table}`;

    // fillfactor leaves room on each page so measurement updates stay HOT (no index writes).
    await s
      .createTable('compute_resources')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('hostname', 'text', (c) => c.notNull())
      .addColumn('resource_type', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('cpu_cores', 'float8')
      .addColumn('memory_mb', 'float8')
      .addColumn('storage_gb', 'float8')
      .addColumn('network_bandwidth_mbps', 'float8')
      .addColumn('connection_limit', 'float8')
      .addColumn('redundancy', 'float8')
      .addColumn('os', 'text')
      .addColumn('site', 'text')
      .addColumn('labels', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('cpu_utilization', 'float8')
      .addColumn('memory_utilization', 'float8')
      .addColumn('disk_utilization', 'float8')
      .addColumn('network_throughput_mbps', 'float8')
      .addColumn('disk_iops', 'float8')
      .addColumn('uptime_seconds', 'float8')
      .addColumn('error_rate', 'float8')
      .addColumn('latency_ms', 'float8')
      .addColumn('latency_variance', 'float8')
      .addColumn('measured_at', 'timestamptz')
      .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addColumn('decommissioned_at', 'timestamptz')
      .addColumn('decommission_reason', 'text')
      .addColumn('aggregate_version', 'integer', (c) => c.notNull())
      .modifyEnd(sql`WITH (fillfactor = 80)`)
      .execute();

    await s
      .createTable('interfaces')
      .addColumn('resource_id', 'uuid', (c) =>
        c
          .notNull()
          .references(`${ref('compute_resources')}.id`)
          .onDelete('cascade'),
      )
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('mac', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('speed_mbps', 'float8')
      .addPrimaryKeyConstraint('interfaces_pkey', ['resource_id', 'name'])
      .execute();

    await s
      .createTable('interface_addresses')
      .addColumn('resource_id', 'uuid', (c) => c.notNull())
      .addColumn('interface_name', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('ip', sql`inet`, (c) => c.notNull())
      .addColumn('prefix_length', 'integer', (c) => c.notNull())
      .addColumn('network_id', 'uuid')
      .addPrimaryKeyConstraint('interface_addresses_pkey', ['resource_id', 'interface_name', 'position'])
      .addForeignKeyConstraint(
        'interface_addresses_interface_fkey',
        ['resource_id', 'interface_name'],
        ref('interfaces'),
        ['resource_id', 'name'],
        (c) => c.onDelete('cascade'),
      )
      .execute();
    // Relinking finds the addresses inside a CIDR through this index, also while bulk-loading.
    await s.createIndex('interface_addresses_ip').on('interface_addresses').column('ip').execute();

    await s
      .createTable('networks')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('cidr', 'text', (c) => c.notNull())
      .addColumn('vlan_id', 'integer', (c) => c.check(sql`vlan_id BETWEEN 1 AND 4094`))
      .addColumn('gateway', 'text')
      .addColumn('site', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('defined_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addColumn('removed_at', 'timestamptz')
      .addColumn('removed_reason', 'text')
      .addColumn('aggregate_version', 'integer', (c) => c.notNull())
      .execute();

    await s
      .createTable('connections')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('a_resource_id', 'uuid', (c) => c.notNull())
      .addColumn('a_interface', 'text', (c) => c.notNull())
      .addColumn('b_resource_id', 'uuid', (c) => c.notNull())
      .addColumn('b_interface', 'text', (c) => c.notNull())
      .addColumn('medium', 'text', (c) => c.notNull())
      .addColumn('speed_mbps', 'float8')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('established_at', 'timestamptz', (c) => c.notNull())
      .addColumn('severed_at', 'timestamptz')
      .addColumn('severed_reason', 'text')
      .addColumn('aggregate_version', 'integer', (c) => c.notNull())
      .execute();

    await s
      .createTable('software_installations')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('resource_id', 'uuid', (c) => c.notNull().references(`${ref('compute_resources')}.id`))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('ports', 'jsonb', (c) => c.notNull())
      .addColumn('config', 'jsonb', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('configured_at', 'timestamptz', (c) => c.notNull())
      .addColumn('removed_at', 'timestamptz')
      .addColumn('removed_reason', 'text')
      .addColumn('aggregate_version', 'integer', (c) => c.notNull())
      .execute();

    await s
      .createTable('policies')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('enforcement', 'text', (c) => c.notNull())
      .addColumn('rules', 'jsonb', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('set_at', 'timestamptz', (c) => c.notNull())
      .addColumn('removed_at', 'timestamptz')
      .addColumn('removed_reason', 'text')
      .addColumn('aggregate_version', 'integer', (c) => c.notNull())
      .execute();

    await s
      .createTable('policy_targets')
      .addColumn('policy_id', 'uuid', (c) =>
        c
          .notNull()
          .references(`${ref('policies')}.id`)
          .onDelete('cascade'),
      )
      .addColumn('resource_id', 'uuid', (c) => c.notNull())
      .addPrimaryKeyConstraint('policy_targets_pkey', ['policy_id', 'resource_id'])
      .execute();

    await s
      .createTable('event_audit')
      .addColumn('sequence', 'bigint', (c) => c.primaryKey())
      .addColumn('event_id', 'uuid', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('aggregate_type', 'text', (c) => c.notNull())
      .addColumn('aggregate_id', 'uuid', (c) => c.notNull())
      .addColumn('aggregate_version', 'integer', (c) => c.notNull())
      .addColumn('correlation_id', 'uuid', (c) => c.notNull())
      .addColumn('causation_id', 'uuid', (c) => c.notNull())
      .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
      .addColumn('schema_version', 'integer', (c) => c.notNull())
      .execute();

    await ensureCheckpointTable(executorOf(db), checkpointTableIn(schema));
  },
});
