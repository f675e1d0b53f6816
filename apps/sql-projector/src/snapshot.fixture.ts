/**
 * Test fixture: a canonical, comparable dump of a whole read model (every table, rows keyed or
 * sorted, timestamps as ISO strings, the derived `ip` column left out), and the same shape for the
 * in-memory reference to produce.
 */
import { type Kysely, sql } from 'kysely';
import { CHECKPOINT_TABLE } from './checkpoint-table.js';
import type { Database } from './schema.js';

type Row = Record<string, unknown>;

export interface ModelSnapshot {
  compute_resources: Record<string, Row>;
  interfaces: Record<string, Row>;
  interface_addresses: Record<string, Row>;
  networks: Record<string, Row>;
  connections: Record<string, Row>;
  software_installations: Record<string, Row>;
  policies: Record<string, Row>;
  /** `policy_id/resource_id`, sorted. */
  policy_targets: string[];
  /** Sorted by sequence. */
  event_audit: Row[];
  checkpoint: number;
}

export const emptySnapshot = (): ModelSnapshot => ({
  compute_resources: {},
  interfaces: {},
  interface_addresses: {},
  networks: {},
  connections: {},
  software_installations: {},
  policies: {},
  policy_targets: [],
  event_audit: [],
  checkpoint: 0,
});

/** ISO form of a timestamp whatever its input spelling. */
export const iso = (value: string | Date | null | undefined): string | null =>
  value === null || value === undefined ? null : new Date(value).toISOString();

const normalise = (row: Row): Row => {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'ip') continue;
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
};

const omit = (row: Row, keys: readonly string[]): Row =>
  Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));

const all = async (db: Kysely<Database>, schema: string, table: string): Promise<Row[]> =>
  (await sql<Row>`SELECT * FROM ${sql.id(schema, table)}`.execute(db)).rows.map(normalise);

const byId = (rows: Row[]) => Object.fromEntries(rows.map((r) => [String(r.id), omit(r, ['id'])]));

/** Dumps the model in `schema` (the checkpoint of `projector` included). */
export const snapshotModel = async (
  db: Kysely<Database>,
  schema: string,
  projector: string,
): Promise<ModelSnapshot> => {
  const checkpoint = (await all(db, schema, CHECKPOINT_TABLE)).find((r) => r.projector === projector);
  return {
    compute_resources: byId(await all(db, schema, 'compute_resources')),
    interfaces: Object.fromEntries(
      (await all(db, schema, 'interfaces')).map((r) => [
        `${r.resource_id}/${r.name}`,
        omit(r, ['resource_id', 'name']),
      ]),
    ),
    interface_addresses: Object.fromEntries(
      (await all(db, schema, 'interface_addresses')).map((r) => [
        `${r.resource_id}/${r.interface_name}/${r.position}`,
        omit(r, ['resource_id', 'interface_name', 'position']),
      ]),
    ),
    networks: byId(await all(db, schema, 'networks')),
    connections: byId(await all(db, schema, 'connections')),
    software_installations: byId(await all(db, schema, 'software_installations')),
    policies: byId(await all(db, schema, 'policies')),
    policy_targets: (await all(db, schema, 'policy_targets'))
      .map((r) => `${r.policy_id}/${r.resource_id}`)
      .sort(),
    event_audit: (await all(db, schema, 'event_audit'))
      .map((r) => ({ ...r, sequence: Number(r.sequence) }))
      .sort((a, b) => a.sequence - b.sequence),
    checkpoint: checkpoint ? Number(checkpoint.sequence) : 0,
  };
};
