import { arrayLiteral } from './array-literal.js';
import { copyBinary, copyRows, type Write } from './copy-rows.js';
import type { EntityTable } from './effects.js';
import { copyPatches } from './patch-copy.js';
import {
  arrayParameter,
  deleteWhereIn,
  insertRows,
  type OnConflict,
  patchRows,
  type Statement,
  tableId,
} from './sql-bulk.js';
import type { WrittenTable } from './table-columns.js';
import type { WritePlan } from './write-plan.js';

/** The audit skips rows it has (a batch applied again whose commit was never reported). */
const AUDIT_CONFLICT: OnConflict = { key: ['sequence'], action: 'ignore' };

const entityWrites = (schema: string, plan: WritePlan, table: EntityTable, copyFrom?: number): Write[] => {
  const writes = plan.entities[table];
  const patches = writes.patches as ReadonlyMap<string, object>;
  const statements = () => patchRows(schema, table, patches);
  const copy =
    copyFrom !== undefined && patches.size >= copyFrom
      ? copyPatches(schema, table, [...patches], statements)
      : undefined;
  return [
    ...insertRows(schema, table, [...writes.puts.values()], { key: ['id'], action: 'update' }),
    ...(copy ? [copy] : statements()),
  ];
};

/**
 * Recomputes the network of every address inside the given CIDRs with the rule of the in-memory
 * index: the most specific active network containing the address, ties by smallest id. One
 * statement per batch; the explicit address range lets the btree index on `ip` find the addresses
 * of each CIDR, `<<=` decides. Addresses this batch writes are linked already
 * (`linkToFinalNetworks`) and skipped: with networks defined before their hosts, that is all.
 */
const relink = (schema: string, cidrs: readonly string[], skip: readonly string[]): Statement[] => {
  if (cidrs.length === 0) return [];
  const addresses = tableId(schema, 'interface_addresses');
  const networks = tableId(schema, 'networks');
  return [
    {
      sql: `UPDATE ${addresses} AS a SET network_id = (
      SELECT n.id FROM ${networks} AS n
      WHERE n.status = 'active' AND a.ip <<= n.cidr::cidr
      ORDER BY masklen(n.cidr::cidr) DESC, n.id LIMIT 1)
    FROM unnest(${arrayParameter(1, 'cidr')}) AS c(net)
    WHERE a.ip >= c.net::inet AND a.ip <= host(broadcast(c.net))::inet AND a.ip <<= c.net
      AND a.resource_id NOT IN (SELECT unnest(${arrayParameter(2, 'uuid')}))`,
      parameters: [arrayLiteral(cidrs, 'cidr'), arrayLiteral(skip, 'uuid')],
    },
  ];
};

/**
 * The statements of a compacted plan, in dependency order (parents before children, addresses before
 * their relink, the audit last). Every step is one set-based statement per table and chunk; the
 * caller's transaction makes the batch and its checkpoint one unit.
 */
export const planStatements = (
  schema: string,
  plan: WritePlan,
  /** From how many rows on an insert goes in as COPY; undefined: never (PGlite). */
  copyFrom?: number,
): Write[] => {
  // Inserts of rows that are new (their keys deleted first) or skipped when present; an upsert
  // cannot be a COPY. `instead` runs where a COPY cannot (see copy-rows.ts).
  const insert = (table: WrittenTable, rows: readonly object[], onConflict?: OnConflict): Write[] => {
    const instead = () => insertRows(schema, table, rows, onConflict);
    return copyFrom !== undefined && rows.length >= copyFrom
      ? [copyRows(schema, table, rows, instead)]
      : instead();
  };
  const statements: Write[] = entityWrites(schema, plan, 'compute_resources', copyFrom);
  if (plan.interfaces.size > 0) {
    const resources = [...plan.interfaces.keys()];
    const lists = [...plan.interfaces.values()];
    statements.push(
      ...deleteWhereIn(schema, 'interface_addresses', 'resource_id', resources),
      ...deleteWhereIn(schema, 'interfaces', 'resource_id', resources),
      ...insert(
        'interfaces',
        lists.flatMap((l) => l.interfaces),
      ),
      ...insert(
        'interface_addresses',
        lists.flatMap((l) => l.addresses),
      ),
    );
  }
  statements.push(
    ...entityWrites(schema, plan, 'networks', copyFrom),
    ...relink(schema, [...plan.relinks], [...plan.interfaces.keys()]),
    ...entityWrites(schema, plan, 'connections', copyFrom),
    ...entityWrites(schema, plan, 'software_installations', copyFrom),
    ...entityWrites(schema, plan, 'policies', copyFrom),
  );
  if (plan.policyTargets.size > 0) {
    statements.push(
      ...deleteWhereIn(schema, 'policy_targets', 'policy_id', [...plan.policyTargets.keys()]),
      ...insert(
        'policy_targets',
        [...plan.policyTargets].flatMap(([policy_id, targets]) =>
          targets.map((resource_id) => ({ policy_id, resource_id })),
        ),
      ),
    );
  }
  // Every other write sets absolute values, so re-applying a batch whose commit was acknowledged
  // but never reported (connection lost at COMMIT) changes nothing; the audit skips rows it has.
  // A COPY cannot skip them: it runs after the checkpoint's compare-and-set, which fails first on
  // a store that holds the batch already, and stands back for the insert if it meets one anyway.
  // The audit is a replay's one row an event: binary, the server parses none of its uuids or times.
  const auditInstead = () => insertRows(schema, 'event_audit', plan.audit.rows(), AUDIT_CONFLICT);
  statements.push(
    ...(copyFrom !== undefined && plan.audit.length >= copyFrom
      ? [copyBinary(schema, 'event_audit', plan.audit.binary(), auditInstead)]
      : auditInstead()),
  );
  return statements;
};
