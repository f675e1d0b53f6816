import { sql } from 'kysely';
import type { EntityTable } from './effects.js';
import { deleteWhereIn, insertRows, patchRows, typedArray, type Write } from './sql-bulk.js';
import type { WritePlan } from './write-plan.js';

const writeEntities = async (write: Write, schema: string, plan: WritePlan, table: EntityTable) => {
  const writes = plan.entities[table];
  if (writes.puts.size > 0)
    await insertRows(write, schema, table, [...writes.puts.values()], { key: ['id'], action: 'update' });
  await patchRows(write, schema, table, writes.patches as ReadonlyMap<string, Record<string, unknown>>);
};

/**
 * Recomputes the network of every address inside the given CIDRs with the rule of the in-memory
 * index: the most specific active network containing the address, ties by smallest id. One
 * statement per batch; the explicit address range lets the btree index on `ip` find the addresses
 * of each CIDR, `<<=` decides. Addresses this batch writes are linked already
 * (`linkToFinalNetworks`) and skipped: with networks defined before their hosts, that is all.
 */
const relink = async (write: Write, schema: string, cidrs: readonly string[], skip: readonly string[]) => {
  if (cidrs.length === 0) return;
  const addresses = sql.id(schema, 'interface_addresses');
  const networks = sql.id(schema, 'networks');
  await write(sql`UPDATE ${addresses} AS a SET network_id = (
      SELECT n.id FROM ${networks} AS n
      WHERE n.status = 'active' AND a.ip <<= n.cidr::cidr
      ORDER BY masklen(n.cidr::cidr) DESC, n.id LIMIT 1)
    FROM unnest(${typedArray(cidrs, 'cidr')}) AS c(net)
    WHERE a.ip >= c.net::inet AND a.ip <= host(broadcast(c.net))::inet AND a.ip <<= c.net
      AND a.resource_id NOT IN (SELECT unnest(${typedArray(skip, 'uuid')}))`);
};

/**
 * Executes a compacted plan in dependency order (parents before children, addresses before their
 * relink, the audit last). Every step is one set-based statement per table and chunk; the caller's
 * transaction makes the batch and its checkpoint one unit.
 */
export const writePlan = async (write: Write, schema: string, plan: WritePlan): Promise<void> => {
  await writeEntities(write, schema, plan, 'compute_resources');
  if (plan.interfaces.size > 0) {
    const resources = [...plan.interfaces.keys()];
    const lists = [...plan.interfaces.values()];
    await deleteWhereIn(write, schema, 'interface_addresses', 'resource_id', resources);
    await deleteWhereIn(write, schema, 'interfaces', 'resource_id', resources);
    await insertRows(
      write,
      schema,
      'interfaces',
      lists.flatMap((l) => l.interfaces),
    );
    await insertRows(
      write,
      schema,
      'interface_addresses',
      lists.flatMap((l) => l.addresses),
    );
  }
  await writeEntities(write, schema, plan, 'networks');
  await relink(write, schema, [...plan.relinks], [...plan.interfaces.keys()]);
  await writeEntities(write, schema, plan, 'connections');
  await writeEntities(write, schema, plan, 'software_installations');
  await writeEntities(write, schema, plan, 'policies');
  if (plan.policyTargets.size > 0) {
    await deleteWhereIn(write, schema, 'policy_targets', 'policy_id', [...plan.policyTargets.keys()]);
    await insertRows(
      write,
      schema,
      'policy_targets',
      [...plan.policyTargets].flatMap(([policy_id, targets]) =>
        targets.map((resource_id) => ({ policy_id, resource_id })),
      ),
    );
  }
  // Every other write sets absolute values, so re-applying a batch whose commit was acknowledged
  // but never reported (connection lost at COMMIT) changes nothing; the audit skips rows it has.
  await insertRows(write, schema, 'event_audit', plan.audit, { key: ['sequence'], action: 'ignore' });
};
