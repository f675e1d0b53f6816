import { sql } from 'kysely';
import { emptyModel, type SpaceModel } from './model.js';
import { type ResourceRecord, type ResourceStatus, ResourceTable } from './resource-table.js';
import type { SpaceConfig } from './space-config.js';
import type { Db } from './space-store.js';

const fromSqlArray = (values: readonly (number | null)[]) => Array.from(values, (v) => v ?? Number.NaN);

/** Rows per round trip when loading resources: bounded memory on the server for large fleets. */
const LOAD_CHUNK = 50_000;

type LoadedRow = [
  string,
  string,
  string,
  string | null,
  string,
  (number | null)[],
  number,
  number,
  number,
  number,
];

/** Loads the whole model, resources in registration order (the fold's own order). */
export const loadModel = async (
  db: Db,
  schema: string,
  config: SpaceConfig,
  chunkSize = LOAD_CHUNK,
): Promise<SpaceModel> => {
  const model = emptyModel(config);
  const byKey = new Map(config.concepts.map((c, k) => [c.key, k]));
  const base = new Map<string, ResourceRecord>();
  let after: [number, string] = [-1, '00000000-0000-0000-0000-000000000000'];
  for (;;) {
    // One JSON value per chunk: far cheaper for the client than parsing float8[] row by row.
    const { rows } = await sql<{ chunk: LoadedRow[] | null }>`
      SELECT json_agg(json_build_array(id, hostname, resource_type, concept, status, coords, samples,
                                       version, registered_seq, updated_seq) ORDER BY registered_seq, id) AS chunk
      FROM (SELECT * FROM ${sql.table(`${schema}.resources`)}
            WHERE (registered_seq, id) > (${after[0]}, ${after[1]}::uuid)
            ORDER BY registered_seq, id LIMIT ${chunkSize}) page`.execute(db);
    const chunk = rows[0]?.chunk ?? [];
    for (const [
      id,
      hostname,
      type,
      concept,
      status,
      coords,
      samples,
      version,
      registeredSeq,
      updatedSeq,
    ] of chunk) {
      base.set(id, {
        id,
        hostname,
        type,
        concept: concept === null ? -1 : (byKey.get(concept) ?? -1),
        status: status as ResourceStatus,
        coords: fromSqlArray(coords),
        samples,
        version,
        registeredSeq,
        updatedSeq,
      });
    }
    const last = chunk[chunk.length - 1];
    if (!last || chunk.length < chunkSize) break;
    after = [last[8], last[0]];
  }
  const dims = await sql<{ position: number; n: number; mean: number; m2: number }>`
    SELECT position, n, mean, m2 FROM ${sql.table(`${schema}.dimensions`)}`.execute(db);
  for (const d of dims.rows) {
    model.stats.n[d.position] = d.n;
    model.stats.mean[d.position] = d.mean;
    model.stats.m2[d.position] = d.m2;
  }
  const concepts = await sql<{ position: number; members: number; sums: number[]; counts: number[] }>`
    SELECT position, members, sums, counts FROM ${sql.table(`${schema}.concepts`)}`.execute(db);
  for (const c of concepts.rows) {
    model.concepts.members[c.position] = c.members;
    model.concepts.sums[c.position]!.set(c.sums);
    model.concepts.counts[c.position]!.set(c.counts);
  }
  return { ...model, resources: new ResourceTable(base) };
};
