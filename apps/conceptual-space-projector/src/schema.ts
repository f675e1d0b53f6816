import type { ColumnType } from 'kysely';

/** Tables of the conceptual-space store, one PostgreSQL schema per model (see `migrations/`). */

/** bigint columns come back from pg as strings; write numbers. */
type BigintColumn = ColumnType<string, number, number>;

/** One row per resource ever registered. */
export interface ResourcesTable {
  id: string;
  hostname: string;
  resource_type: string;
  /** Key of the concept the type labels it with; null when unlabelled. */
  concept: string | null;
  /** active | maintenance | degraded | offline | decommissioned */
  status: string;
  /** Transformed coordinates in `dimensions.position` order; NULL = not known. */
  coords: (number | null)[];
  samples: number;
  version: number;
  registered_seq: BigintColumn;
  updated_seq: BigintColumn;
}

/** One row per dimension: its place, transform and the Welford statistics of the live fleet. */
export interface DimensionsTable {
  position: number;
  quality: string;
  domain: string;
  transform: ColumnType<unknown, string, string>;
  n: number;
  mean: number;
  m2: number;
}

/** One row per concept: its seed and its members' running sums (prototype = their smoothed mean). */
export interface ConceptsTable {
  position: number;
  key: string;
  label: string;
  types: string[];
  seed: (number | null)[];
  members: number;
  sums: number[];
  counts: number[];
  /** (w₀·seed + sums) / (w₀ + counts), transformed units, for SQL readers. */
  prototype: (number | null)[];
}

/** Key/value facts about the store, e.g. the configuration fingerprint it was built with. */
export interface MetaTable {
  key: string;
  value: string;
}

/** The projection kit's checkpoint table (`ensureCheckpointTable`). */
export interface CheckpointsTable {
  projector: string;
  sequence: BigintColumn;
  updated_at: ColumnType<Date, never, never>;
}

export interface SpaceDatabase {
  resources: ResourcesTable;
  dimensions: DimensionsTable;
  concepts: ConceptsTable;
  meta: MetaTable;
  checkpoints: CheckpointsTable;
}

/** Name of the checkpoint table inside a store's schema. */
export const CHECKPOINT_TABLE = 'checkpoints';
