import { payloads } from '@cim/contract';
import { type Kysely, type Migration, sql } from 'kysely';

/** Policy kinds as of this migration; a new kind needs a new migration that replaces the view. */
const POLICY_KINDS = payloads.PolicySet.shape.kind.options;

/**
 * The reporting views, in the same schema as the tables: a view refers to its tables by identity,
 * so a blue/green swap (renaming schemas) moves each view with the tables it reads. "Live" means a
 * resource that is not decommissioned, a network or policy not removed, a connection not severed.
 */
export const reportingViewsMigration = (schema: string): Migration => ({
  async up(db: Kysely<unknown>) {
    const t = (name: string) => sql.id(schema, name);
    const view = (name: string, body: ReturnType<typeof sql>) =>
      sql`CREATE VIEW ${t(name)} AS ${body}`.execute(db);

    await view(
      'inventory_summary',
      sql`SELECT category, resource_type, status, count(*)::int AS resources
          FROM ${t('compute_resources')} GROUP BY category, resource_type, status`,
    );

    // used_addresses counts distinct IPs of live resources; size is the whole CIDR, as cidrSize.
    await view(
      'ip_usage',
      sql`SELECT n.id AS network_id, n.name, n.cidr, n.site, n.vlan_id,
            count(DISTINCT a.ip) FILTER (WHERE r.status <> 'decommissioned')::int AS used_addresses,
            power(2::float8, (CASE WHEN family(n.cidr::cidr) = 4 THEN 32 ELSE 128 END) - masklen(n.cidr::cidr)) AS size
          FROM ${t('networks')} AS n
          LEFT JOIN ${t('interface_addresses')} AS a ON a.network_id = n.id
          LEFT JOIN ${t('compute_resources')} AS r ON r.id = a.resource_id
          WHERE n.status = 'active'
          GROUP BY n.id, n.name, n.cidr, n.site, n.vlan_id`,
    );

    // A connection whose two ends are on one resource counts once for it.
    await view(
      'resource_connections',
      sql`WITH ends AS (
            SELECT id, status, a_resource_id AS resource_id FROM ${t('connections')}
            UNION
            SELECT id, status, b_resource_id FROM ${t('connections')})
          SELECT r.id AS resource_id, r.hostname, r.resource_type, r.site,
            count(e.id) FILTER (WHERE e.status = 'active')::int AS active_connections,
            count(e.id) FILTER (WHERE e.status = 'severed')::int AS severed_connections
          FROM ${t('compute_resources')} AS r LEFT JOIN ends AS e ON e.resource_id = r.id
          WHERE r.status <> 'decommissioned'
          GROUP BY r.id, r.hostname, r.resource_type, r.site`,
    );

    // Loopbacks never carry a link, so they are not orphans.
    await view(
      'orphaned_interfaces',
      sql`SELECT i.resource_id, r.hostname, i.name AS interface, i.kind, i.mac
          FROM ${t('interfaces')} AS i JOIN ${t('compute_resources')} AS r ON r.id = i.resource_id
          WHERE r.status <> 'decommissioned' AND i.kind <> 'loopback'
            AND NOT EXISTS (SELECT 1 FROM ${t('connections')} AS c WHERE c.status = 'active'
              AND c.a_resource_id = i.resource_id AND c.a_interface = i.name)
            AND NOT EXISTS (SELECT 1 FROM ${t('connections')} AS c WHERE c.status = 'active'
              AND c.b_resource_id = i.resource_id AND c.b_interface = i.name)`,
    );

    await view(
      'software_inventory',
      sql`SELECT name, version, kind, count(*)::int AS installations,
            count(DISTINCT resource_id)::int AS resources
          FROM ${t('software_installations')} WHERE status = 'installed'
          GROUP BY name, version, kind`,
    );

    await view(
      'software_placement',
      sql`SELECT s.name, s.version, s.kind, s.resource_id, r.hostname, r.site
          FROM ${t('software_installations')} AS s JOIN ${t('compute_resources')} AS r ON r.id = s.resource_id
          WHERE s.status = 'installed'`,
    );

    const kinds = sql.join(POLICY_KINDS.map((k) => sql`(${sql.lit(k)})`));
    await view(
      'policy_coverage',
      sql`WITH live AS (SELECT id FROM ${t('compute_resources')} WHERE status <> 'decommissioned'),
          covered AS (
            SELECT DISTINCT p.kind, pt.resource_id
            FROM ${t('policies')} AS p JOIN ${t('policy_targets')} AS pt ON pt.policy_id = p.id
            JOIN live ON live.id = pt.resource_id
            WHERE p.status = 'active'),
          kinds(kind) AS (VALUES ${kinds}),
          per_kind AS (
            SELECT k.kind, count(c.resource_id)::int AS covered
            FROM kinds AS k LEFT JOIN covered AS c ON c.kind = k.kind GROUP BY k.kind
            UNION ALL
            SELECT 'any', count(DISTINCT resource_id)::int FROM covered)
          SELECT kind, covered, ((SELECT count(*) FROM live) - covered)::int AS uncovered FROM per_kind`,
    );

    // Everything that happened to a resource: its own events and those of the software on it, the
    // connections touching it and the policies targeting it (as the model stands now).
    const audit = sql`a.sequence, a.event_id, a.event_type, a.aggregate_type, a.aggregate_id,
      a.aggregate_version, a.correlation_id, a.causation_id, a.occurred_at, a.schema_version`;
    await view(
      'resource_history',
      sql`SELECT a.aggregate_id AS resource_id, ${audit} FROM ${t('event_audit')} AS a
            WHERE a.aggregate_type = 'compute'
          UNION ALL
          SELECT s.resource_id, ${audit} FROM ${t('software_installations')} AS s
            JOIN ${t('event_audit')} AS a ON a.aggregate_id = s.id
          UNION ALL
          SELECT e.resource_id, ${audit}
            FROM (SELECT id, a_resource_id AS resource_id FROM ${t('connections')}
                  UNION SELECT id, b_resource_id FROM ${t('connections')}) AS e
            JOIN ${t('event_audit')} AS a ON a.aggregate_id = e.id
          UNION ALL
          SELECT pt.resource_id, ${audit} FROM ${t('policy_targets')} AS pt
            JOIN ${t('event_audit')} AS a ON a.aggregate_id = pt.policy_id`,
    );
  },
});
