import {
  foldBatch,
  type HealthStatus,
  type Logger,
  type ProjectionAdapter,
  readSqlCheckpoint,
  type ShadowRebuild,
  type StreamEvent,
  silentLogger,
  TransientError,
  writeSqlCheckpoint,
} from '@cim/projection-kit';
import { Kysely, sql, type Transaction } from 'kysely';
import { loadModel } from './load-model.js';
import { beginBatch, commitBatch, emptyModel, type SpaceModel, spaceProjection } from './model.js';
import { createPool } from './pg-pool.js';
import type { ResourceRecord } from './resource-table.js';
import type { SpaceDatabase } from './schema.js';
import { resolveSpaceConfig, type SpaceConfig } from './space-config.js';
import { checkpointTable, migrateStore, resetStore, sqlExecutor } from './space-store.js';
import { writeAggregates, writeResources } from './space-writes.js';

/** @default 'conceptual-space-projector' */
export const DEFAULT_ADAPTER_NAME = 'conceptual-space-projector';

export interface SpaceAdapterOptions {
  connectionString: string;
  /** Schema of the live model; a blue/green rebuild builds `${schema}_shadow`. @default 'space' */
  schema?: string;
  /** @default DEFAULT_ADAPTER_NAME */
  name?: string;
  /** @default resolveSpaceConfig() */
  config?: SpaceConfig;
  logger?: Logger;
}

/** The unit of work: a kysely transaction plus the batch's working model, merged on commit. */
export interface SpaceTx {
  readonly db: Transaction<SpaceDatabase>;
  working?: SpaceModel;
  checkpoint?: number;
  synced?: boolean;
}

/**
 * The conceptual-space adapter: folds batches in memory with the pure projection and writes what
 * changed set-based (one upsert of the touched resources, two small updates of the aggregates) with
 * the checkpoint in the same transaction. It keeps the committed model in memory, so a batch reads
 * nothing but the checkpoint row (locked, and compared with its own: a store changed behind its back
 * is reloaded before anything is applied). A rolled-back batch leaves the committed model untouched.
 */
export class SpaceAdapter implements ProjectionAdapter<SpaceTx> {
  readonly name: string;
  readonly config: SpaceConfig;
  readonly schema: string;
  readonly db: Kysely<SpaceDatabase>;
  private readonly projection;
  private readonly log: Logger;
  private target: string;
  private committed: SpaceModel;
  private committedCheckpoint = 0;

  constructor(options: SpaceAdapterOptions) {
    this.name = options.name ?? DEFAULT_ADAPTER_NAME;
    this.config = options.config ?? resolveSpaceConfig();
    this.schema = options.schema ?? 'space';
    this.target = this.schema;
    this.log = options.logger ?? silentLogger;
    this.db = new Kysely<SpaceDatabase>({
      dialect: createPool({ connectionString: options.connectionString }).dialect,
    });
    this.projection = spaceProjection(this.config);
    this.committed = emptyModel(this.config);
  }

  async initialize(): Promise<void> {
    if (await migrateStore(this.db, this.target, this.config))
      this.log.info(
        { schema: this.target },
        'store laid out for this space configuration; replaying from the start',
      );
    await this.reload(this.db);
  }

  private async reload(db: Kysely<SpaceDatabase>): Promise<void> {
    this.committed = await loadModel(db, this.target, this.config);
    this.committedCheckpoint = await readSqlCheckpoint(
      sqlExecutor(db),
      this.name,
      checkpointTable(this.target),
    );
  }

  async transaction<R>(work: (tx: SpaceTx) => Promise<R>): Promise<R> {
    let tx: SpaceTx | undefined;
    const result = await this.db
      .transaction()
      .execute(async (db) => {
        tx = { db };
        return work(tx);
      })
      .catch((e: unknown) => {
        // pg fails to connect with a plain Error; the kit must retry it, not dead-letter the batch.
        if (tx === undefined)
          throw new TransientError(`cannot reach PostgreSQL: ${(e as Error).message}`, { cause: e });
        throw e;
      });
    if (tx?.working) this.committed = commitBatch(tx.working);
    if (tx?.checkpoint !== undefined) this.committedCheckpoint = tx.checkpoint;
    return result;
  }

  readCheckpoint(tx?: SpaceTx): Promise<number> {
    const db: Kysely<SpaceDatabase> = tx?.db ?? this.db;
    return readSqlCheckpoint(sqlExecutor(db), this.name, checkpointTable(this.target));
  }

  writeCheckpoint(sequence: number, tx: SpaceTx, previous: number): Promise<void> {
    tx.checkpoint = sequence;
    // A store behind the kit (commits lost with asynchronous commit) rolls the batch back and the
    // kit replays from the store's checkpoint; `sync` has already reloaded the model from it.
    return writeSqlCheckpoint(
      sqlExecutor(tx.db),
      this.name,
      sequence,
      previous,
      checkpointTable(this.target),
    );
  }

  /**
   * Sets up the transaction and locks the checkpoint row, in one round trip; reloads the model if the
   * store is not at the checkpoint we hold. Commit without waiting for the WAL flush: a crash can lose
   * the last batches, but model and checkpoint go together, and the kit re-positions the consumer at
   * the store's checkpoint. The model is small and hot: an index probe per changed row beats hashing
   * the whole table, which the planner's disk-oriented default (random_page_cost 4) would choose.
   */
  private async sync(tx: SpaceTx): Promise<void> {
    if (tx.synced) return;
    const { rows } = await sql<{ sequence: string | null }>`
      SELECT set_config('synchronous_commit', 'off', true), set_config('random_page_cost', '1.1', true),
        (SELECT sequence FROM ${sql.table(checkpointTable(this.target))} WHERE projector = ${this.name} FOR UPDATE) AS sequence`.execute(
      tx.db,
    );
    const stored = rows[0]?.sequence ? Number(rows[0].sequence) : 0;
    if (stored !== this.committedCheckpoint) {
      this.log.warn(
        { stored, held: this.committedCheckpoint },
        'store changed outside this process; reloading the model',
      );
      await this.reload(tx.db);
    }
    tx.synced = true;
  }

  async project(batch: readonly StreamEvent[], tx: SpaceTx): Promise<void> {
    await this.sync(tx);
    const working = tx.working ?? beginBatch(this.committed);
    tx.working = working;
    const { effects } = foldBatch(this.projection, working, batch);
    const changed = new Map<string, ResourceRecord>();
    let aggregates = false;
    for (const e of effects) {
      if (e.kind === 'put_resource') changed.set(e.resource.id, e.resource);
      else aggregates = true;
    }
    const committed = this.committed.resources;
    await writeResources(tx.db, this.target, this.config, changed.values(), (id) => committed.get(id));
    if (aggregates) await writeAggregates(tx.db, this.target, this.config, working);
  }

  async reset(): Promise<void> {
    await this.db.transaction().execute((db) => resetStore(db, this.target, this.config));
    this.committed = emptyModel(this.config);
    this.committedCheckpoint = 0;
  }

  async healthCheck(): Promise<HealthStatus> {
    try {
      await sql`SELECT 1`.execute(this.db);
      return { state: 'ok' };
    } catch (e) {
      return { state: 'degraded', detail: (e as Error).message };
    }
  }

  /** Blue/green rebuild: build `${schema}_shadow` while readers see the live schema; swap by renaming. */
  readonly shadow: ShadowRebuild = {
    begin: async () => {
      const shadow = `${this.schema}_shadow`;
      await sql`DROP SCHEMA IF EXISTS ${sql.id(shadow)} CASCADE`.execute(this.db);
      this.target = shadow;
      await migrateStore(this.db, shadow, this.config);
      this.committed = emptyModel(this.config);
      this.committedCheckpoint = 0;
    },
    swap: async () => {
      const live = this.schema;
      await this.db.transaction().execute(async (db) => {
        await sql`ALTER SCHEMA ${sql.id(live)} RENAME TO ${sql.id(`${live}_old`)}`.execute(db);
        await sql`ALTER SCHEMA ${sql.id(`${live}_shadow`)} RENAME TO ${sql.id(live)}`.execute(db);
        await sql`DROP SCHEMA ${sql.id(`${live}_old`)} CASCADE`.execute(db);
      });
      this.target = live;
    },
    abort: async () => {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(`${this.schema}_shadow`)} CASCADE`.execute(this.db);
      this.target = this.schema;
      await this.reload(this.db);
    },
  };

  /** The committed in-memory model (what the store holds). */
  get model(): SpaceModel {
    return this.committed;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
