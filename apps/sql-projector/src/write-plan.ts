import { AuditRows } from './audit-rows.js';
import {
  type AddressRow,
  type Effect,
  ENTITY_TABLES,
  type EntityRows,
  type EntityTable,
  type InterfaceRow,
} from './effects.js';
import type { NetworkIndex } from './network-index.js';

/** The compacted writes of one entity table: at most one put or one patch per id. */
export interface EntityWrites<R> {
  /** Whole rows to insert or replace (a later patch in the batch is merged into its put). */
  readonly puts: Map<string, R>;
  /** Column changes of rows not put in this batch; executed after the puts. */
  readonly patches: Map<string, Partial<R>>;
}

/**
 * A batch's effects compacted so that every row is written once: many events on one row become one
 * write. Executing a plan gives the same store as executing its effects one by one, in order.
 */
export interface WritePlan {
  readonly entities: { readonly [T in EntityTable]: EntityWrites<EntityRows[T]> };
  /** Resources whose interface list is replaced, with the new list. */
  readonly interfaces: Map<string, { interfaces: InterfaceRow[]; addresses: AddressRow[] }>;
  /** Policies whose targets are replaced, with the new list. */
  readonly policyTargets: Map<string, string[]>;
  /** CIDRs whose addresses need their network recomputed. */
  readonly relinks: Set<string>;
  readonly audit: AuditRows;
}

/** `copyFrom`: from how many audit rows on the plan encodes them for a binary COPY (see AuditRows). */
export const emptyPlan = (copyFrom?: number): WritePlan => ({
  entities: Object.fromEntries(
    ENTITY_TABLES.map((t) => [t, { puts: new Map(), patches: new Map() }]),
  ) as unknown as WritePlan['entities'],
  interfaces: new Map(),
  policyTargets: new Map(),
  relinks: new Set(),
  audit: new AuditRows(copyFrom),
});

/**
 * Adds effects to a plan, in order. A put replaces whatever the batch did to the row before; a
 * patch after a put is folded into the put; patches of the same row merge, later keys winning. A
 * patch of a row that does not exist stays a no-op, exactly as when applied alone. The plan keeps
 * copies of rows and patches and merges later patches into them in place (a new object per merge
 * was most of this function's time): an effect's objects stay as they were.
 */
export const addToPlan = (plan: WritePlan, effects: Iterable<Effect>): WritePlan => {
  for (const effect of effects) {
    switch (effect.kind) {
      case 'put': {
        const writes = plan.entities[effect.table] as EntityWrites<object>;
        writes.patches.delete(effect.row.id);
        writes.puts.set(effect.row.id, { ...effect.row });
        break;
      }
      case 'patch': {
        const writes = plan.entities[effect.table] as EntityWrites<object>;
        const merged = writes.puts.get(effect.id) ?? writes.patches.get(effect.id);
        if (merged) Object.assign(merged, effect.set);
        else writes.patches.set(effect.id, { ...effect.set });
        break;
      }
      case 'interfaces':
        plan.interfaces.set(effect.resource_id, {
          interfaces: effect.interfaces,
          addresses: effect.addresses,
        });
        break;
      case 'policy_targets':
        plan.policyTargets.set(effect.policy_id, effect.resource_ids);
        break;
      case 'relink':
        plan.relinks.add(effect.cidr);
        break;
      case 'audit':
        plan.audit.push(effect.row);
        break;
    }
  }
  return plan;
};

/**
 * Gives the addresses the plan writes the networks of the batch's final network index. Each address
 * got its network when its event was folded; a network defined or removed later in the same batch
 * may change that. Afterwards only addresses already in the store need the SQL relink.
 */
export const linkToFinalNetworks = (plan: WritePlan, networks: NetworkIndex): WritePlan => {
  if (plan.relinks.size === 0) return plan; // the index did not change during the batch
  for (const [resource, list] of plan.interfaces) {
    const addresses = list.addresses.map((a) => ({ ...a, network_id: networks.networkFor(a.address) }));
    plan.interfaces.set(resource, { interfaces: list.interfaces, addresses });
  }
  return plan;
};

/** Number of rows a plan writes (for metrics and logs). */
export const planSize = (plan: WritePlan): number => {
  let rows = plan.audit.length + plan.relinks.size;
  for (const t of ENTITY_TABLES) rows += plan.entities[t].puts.size + plan.entities[t].patches.size;
  for (const v of plan.interfaces.values()) rows += v.interfaces.length + v.addresses.length;
  for (const v of plan.policyTargets.values()) rows += v.length;
  return rows;
};
