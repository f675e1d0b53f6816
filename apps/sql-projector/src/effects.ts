/**
 * What the pure projection asks the store to do, as data. Rows carry plain JS values (timestamps as
 * ISO strings, JSON columns as objects); `write-effects.ts` turns them into set-based SQL.
 */
import type { ColumnType } from 'kysely';
import type {
  ComputeResourcesTable,
  ConnectionsTable,
  EventAuditTable,
  InterfaceAddressesTable,
  InterfacesTable,
  NetworksTable,
  PoliciesTable,
  SoftwareInstallationsTable,
} from './schema.js';

/**
 * A column's value as the projection writes it: what kysely inserts (ISO strings for timestamps,
 * numbers for the audit's bigint sequence), except JSON columns, which stay the value they encode.
 */
type Written<C> =
  C extends ColumnType<infer Selected, infer Inserted, unknown>
    ? [Selected] extends [Date | null]
      ? Inserted
      : [Inserted] extends [string]
        ? Selected
        : Inserted
    : C;

/** A row of `Table` as the projection writes it, derived from the table's kysely type. */
export type RowOf<Table> = { [K in keyof Table]: Written<Table[K]> };

export type ResourceRow = RowOf<ComputeResourcesTable>;
export type NetworkRow = RowOf<NetworksTable>;
export type ConnectionRow = RowOf<ConnectionsTable>;
export type SoftwareRow = RowOf<SoftwareInstallationsTable>;
export type PolicyRow = RowOf<PoliciesTable>;
export type InterfaceRow = RowOf<InterfacesTable>;
export type AddressRow = RowOf<InterfaceAddressesTable>;
export type AuditRow = RowOf<EventAuditTable>;

/** Tables whose rows are whole entities keyed by `id` (the aggregate id). */
export interface EntityRows {
  compute_resources: ResourceRow;
  networks: NetworkRow;
  connections: ConnectionRow;
  software_installations: SoftwareRow;
  policies: PolicyRow;
}
export type EntityTable = keyof EntityRows;

/** Writes a whole row (insert or replace). */
export type PutEffect = { [T in EntityTable]: { kind: 'put'; table: T; row: EntityRows[T] } }[EntityTable];

/** Changes some columns of an existing row; absent keys are kept, a missing row is left alone. */
export type PatchEffect = {
  [T in EntityTable]: { kind: 'patch'; table: T; id: string; set: Partial<EntityRows[T]> };
}[EntityTable];

export type Effect =
  | PutEffect
  | PatchEffect
  /** The full new interface list (and addresses) of a resource. */
  | { kind: 'interfaces'; resource_id: string; interfaces: InterfaceRow[]; addresses: AddressRow[] }
  /** The full new target list of a policy. */
  | { kind: 'policy_targets'; policy_id: string; resource_ids: string[] }
  /** Network membership inside this CIDR changed: recompute `network_id` of addresses in it. */
  | { kind: 'relink'; cidr: string }
  | { kind: 'audit'; row: AuditRow };

export const ENTITY_TABLES: readonly EntityTable[] = [
  'compute_resources',
  'networks',
  'connections',
  'software_installations',
  'policies',
];
