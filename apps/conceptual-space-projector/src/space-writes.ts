import { escapeIdentifier } from 'pg';
import { prototypeOf, seedCoordinates } from './concepts.js';
import type { SpaceModel } from './model.js';
import { binaryFloat8Array, integerArray, uuidArray } from './pg-arrays.js';
import type { ResourceRecord } from './resource-table.js';
import type { SpaceConfig } from './space-config.js';

/**
 * The set-based writes of one batch, as data-modifying statements for the batch's one commit
 * statement (`space-commit.ts`): changed resources, then the (few) aggregate rows. Each joins the
 * commit's `gate` (one row when the checkpoint check passed, none otherwise), so nothing is written
 * on a store that is not where the model is.
 */

/**
 * One data-modifying WITH query of a commit statement: its text, with its parameters numbered from
 * where the statement puts them, and its values. The text depends on the shape (table, schema,
 * dimensions), never on the values, so the commit statement's text is built once per shape: built
 * by kysely's template tags at every commit, it was a tenth of a live run's CPU.
 */
export interface SpaceWrite {
  /** What decides the text. */
  readonly shape: string;
  /** The text, its first parameter numbered `first`. */
  text(first: number): string;
  readonly values: readonly unknown[];
}

/** `schema.table` quoted part by part. */
export const quoteQualified = (name: string): string => name.split('.').map(escapeIdentifier).join('.');

/** `$first::cast[0], $first+1::cast[1], …` */
const placeholders = (first: number, casts: readonly string[]): string[] =>
  casts.map((cast, i) => `$${first + i}::${cast}`);

/** The dimensions a text names (its coordinate columns). */
const shapeOf = (config: SpaceConfig): string => config.dimensions.map((d) => d.index).join(',');

const toJsonArray = (values: ArrayLike<number>) => Array.from(values, (v) => (Number.isNaN(v) ? null : v));

/** Did anything but the coordinates, samples, version and sequence change (a slow-path row)? */
const describedDifferently = (a: ResourceRecord | undefined, b: ResourceRecord) =>
  a === undefined ||
  a.hostname !== b.hostname ||
  a.type !== b.type ||
  a.concept !== b.concept ||
  a.status !== b.status;

/** Batches of at most this many resources send their coordinates row by row (see below). */
export const ROW_COORDINATES_MAX = 32;

/**
 * The coordinates of `records` as statement values, the unnest column names and casts they take,
 * and the expression that makes a row's float8[]. Many rows: dimension by dimension, as binary
 * float8[] values (one array per dimension is parsed once, no decimal printing; slicing one big
 * array per row would be quadratic). A few rows, a live batch's: one text[] of each row's array
 * literal, one unnest function instead of one per dimension, whose setup was a third of a live
 * commit statement's execution (`auto_explain`: ~60 µs for one row over 15 dimensions).
 */
const coordinateColumns = (config: SpaceConfig, records: readonly ResourceRecord[]) => {
  if (records.length <= ROW_COORDINATES_MAX) {
    const literal = (r: ResourceRecord) =>
      `{${config.dimensions
        .map((d) => {
          const v = r.coords[d.index]!;
          return Number.isNaN(v) ? 'NULL' : String(v);
        })
        .join(',')}}`;
    return {
      shape: 'rows',
      values: [records.map(literal)],
      casts: ['text[]'],
      names: 'coords_text',
      array: 'u.coords_text::float8[]',
    };
  }
  const column = new Float64Array(records.length);
  const values = config.dimensions.map((d) => {
    for (let i = 0; i < records.length; i++) column[i] = records[i]!.coords[d.index]!;
    return binaryFloat8Array(column);
  });
  const names = config.dimensions.map((d) => escapeIdentifier(`c${d.index}`));
  return {
    shape: 'columns',
    values,
    casts: names.map(() => 'float8[]'),
    names: names.join(', '),
    array: `ARRAY[${names.map((n) => `u.${n}`).join(', ')}]::float8[]`,
  };
};

/**
 * Changed resources, set-based: arrays in, unnest in PostgreSQL. Most changes are measurements,
 * which move only coordinates and counters: those rows go in one narrow UPDATE. New or redescribed
 * resources go in one INSERT … ON CONFLICT with every column.
 */
export const resourceWrites = (
  schema: string,
  config: SpaceConfig,
  records: Iterable<ResourceRecord>,
  before: (id: string) => ResourceRecord | undefined,
): SpaceWrite[] => {
  const writes: SpaceWrite[] = [];
  const hot: ResourceRecord[] = [];
  const full: ResourceRecord[] = [];
  for (const r of records) (describedDifferently(before(r.id), r) ? full : hot).push(r);
  const table = quoteQualified(`${schema}.resources`);
  const counterCasts = ['uuid[]', 'integer[]', 'integer[]', 'bigint[]'];
  const counters = (rs: ResourceRecord[]) => [
    uuidArray(rs.map((r) => r.id)),
    integerArray(rs.map((r) => r.samples)),
    integerArray(rs.map((r) => r.version)),
    integerArray(rs.map((r) => r.updatedSeq)),
  ];
  if (hot.length > 0) {
    const c = coordinateColumns(config, hot);
    writes.push({
      shape: `hot ${table} ${shapeOf(config)} ${c.shape}`,
      text: (first) => `
      UPDATE ${table} AS r
      SET coords = ${c.array}, samples = u.samples, version = u.version, updated_seq = u.updated_seq
      FROM unnest(${placeholders(first, [...counterCasts, ...c.casts]).join(', ')})
        AS u(id, samples, version, updated_seq, ${c.names}), gate
      WHERE r.id = u.id`,
      values: [...counters(hot), ...c.values],
    });
  }
  if (full.length > 0) {
    const c = coordinateColumns(config, full);
    const concept = (r: ResourceRecord) => (r.concept >= 0 ? config.concepts[r.concept]!.key : null);
    const casts = [...counterCasts, 'text[]', 'text[]', 'text[]', 'text[]', 'bigint[]', ...c.casts];
    writes.push({
      shape: `full ${table} ${shapeOf(config)} ${c.shape}`,
      text: (first) => `
      INSERT INTO ${table} AS r
        (id, samples, version, updated_seq, hostname, resource_type, concept, status, registered_seq, coords)
      SELECT u.id, u.samples, u.version, u.updated_seq, u.hostname, u.resource_type, u.concept, u.status,
             u.registered_seq, ${c.array}
      FROM unnest(${placeholders(first, casts).join(', ')})
        AS u(id, samples, version, updated_seq, hostname, resource_type, concept, status, registered_seq, ${c.names}),
        gate
      ON CONFLICT (id) DO UPDATE SET
        hostname = excluded.hostname, resource_type = excluded.resource_type, concept = excluded.concept,
        status = excluded.status, coords = excluded.coords, samples = excluded.samples,
        version = excluded.version, updated_seq = excluded.updated_seq`,
      values: [
        ...counters(full),
        full.map((r) => r.hostname),
        full.map((r) => r.type),
        full.map(concept),
        full.map((r) => r.status),
        integerArray(full.map((r) => r.registeredSeq)),
        ...c.values,
      ],
    });
  }
  return writes;
};

const sameArray = (a: Float64Array, b: Float64Array) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/**
 * The statistics and concept accumulators the batch changed: the rows of `model` that differ from
 * `before` (the committed model). A live batch of a few measurements moves a few dimensions and
 * concepts; writing every row each time was most of its commit's work in PostgreSQL.
 */
export const aggregateWrites = (
  schema: string,
  config: SpaceConfig,
  model: SpaceModel,
  before: SpaceModel,
): SpaceWrite[] => {
  const { stats, concepts } = model;
  const dims = config.dimensions
    .filter(
      ({ index: i }) =>
        stats.n[i] !== before.stats.n[i] ||
        stats.mean[i] !== before.stats.mean[i] ||
        stats.m2[i] !== before.stats.m2[i],
    )
    .map(({ index: i }) => ({ position: i, n: stats.n[i]!, mean: stats.mean[i]!, m2: stats.m2[i]! }));
  const rows = config.concepts.flatMap((c, k) =>
    concepts.members[k] === before.concepts.members[k] &&
    sameArray(concepts.sums[k]!, before.concepts.sums[k]!) &&
    sameArray(concepts.counts[k]!, before.concepts.counts[k]!)
      ? []
      : [
          {
            position: k,
            members: concepts.members[k]!,
            sums: Array.from(concepts.sums[k]!),
            counts: Array.from(concepts.counts[k]!),
            prototype: toJsonArray(
              prototypeOf(
                seedCoordinates(config, c),
                concepts.sums[k]!,
                concepts.counts[k]!,
                config.seedWeight,
              ),
            ),
          },
        ],
  );
  const writes: SpaceWrite[] = [];
  if (dims.length > 0) {
    const table = quoteQualified(`${schema}.dimensions`);
    writes.push({
      shape: `dimensions ${table}`,
      text: (first) => `
      UPDATE ${table} AS d SET n = t.n, mean = t.mean, m2 = t.m2
      FROM json_to_recordset($${first}::json) AS t(position integer, n float8, mean float8, m2 float8),
        gate
      WHERE d.position = t.position`,
      values: [JSON.stringify(dims)],
    });
  }
  if (rows.length > 0) {
    const table = quoteQualified(`${schema}.concepts`);
    writes.push({
      shape: `concepts ${table}`,
      text: (first) => `
      UPDATE ${table} AS c
      SET members = t.members, sums = t.sums, counts = t.counts, prototype = t.prototype
      FROM json_to_recordset($${first}::json)
        AS t(position integer, members float8, sums float8[], counts float8[], prototype float8[]),
        gate
      WHERE c.position = t.position`,
      values: [JSON.stringify(rows)],
    });
  }
  return writes;
};
