import {
  CheckpointMovedError,
  FoldLineage,
  foldBatch,
  type HealthStatus,
  type LineageFold,
  type Logger,
  type Prefold,
  type PrefoldedBatch,
  type ProjectionAdapter,
  readSqlCheckpoint,
  type ShadowRebuild,
  type StreamEvent,
  silentLogger,
  TransientError,
} from '@cim/projection-kit';
import { Kysely, sql } from 'kysely';
import pg from 'pg';
import { loadModel } from './load-model.js';
import {
  beginBatch,
  commitBatch,
  emptyModel,
  type SpaceModel,
  spaceProjection,
  stackBatch,
} from './model.js';
import { createPool } from './pg-pool.js';
import type { SpaceDatabase } from './schema.js';
import { commitInOneStatement } from './space-commit.js';
import { resolveSpaceConfig, type SpaceConfig } from './space-config.js';
import { checkpointTable, migrateStore, resetStore, sqlExecutor } from './space-store.js';
import { aggregateWrites, resourceWrites } from './space-writes.js';

/**
 * Session settings of the adapter's connections. Commits do not wait for the WAL flush: a crash can
 * lose the last batches, but model and checkpoint go together, and the next commit finds the store
 * behind and reloads. The model is small and hot: an index probe per changed row beats hashing the
 * whole table, which the planner's disk-oriented default (random_page_cost 4) would choose; the
 * commit statement, prepared, keeps that plan (force_generic_plan: it is not planned per batch).
 */
const COMMIT_SETTINGS = {
  synchronous_commit: 'off',
  random_page_cost: '1.1',
  plan_cache_mode: 'force_generic_plan',
};

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

/**
 * The unit of work: the batch's working model and what it changed, written by one statement when
 * the work is done ({@link commitInOneStatement}).
 */
export interface SpaceTx {
  working?: SpaceModel;
  /** The fold on arrival the working model comes from, if it does. */
  fold?: SpaceFold;
  checkpoint?: { next: number; previous: number };
}

/** A batch folded on arrival: its working model, and what the store must hold for it to apply. */
class SpaceFold implements PrefoldedBatch, LineageFold {
  constructor(
    public base: object | null,
    readonly working: SpaceModel,
    private readonly projection: ReturnType<typeof spaceProjection>,
  ) {}

  add(event: StreamEvent): void {
    this.projection.apply(this.working, event);
  }
}

/**
 * The conceptual-space adapter: folds batches in memory with the pure projection and commits what
 * changed set-based (one upsert of the touched resources, and the aggregate rows it moved) with
 * the checkpoint, all in one statement. It keeps the committed model in memory, so a batch reads
 * nothing; the statement writes only if the store is at the model's checkpoint, and a store changed
 * behind its back is reloaded and the batch folded again. A batch that is not written leaves the
 * committed model untouched.
 */
export class SpaceAdapter implements ProjectionAdapter<SpaceTx> {
  readonly name: string;
  readonly config: SpaceConfig;
  readonly schema: string;
  readonly db: Kysely<SpaceDatabase>;
  private readonly pool: pg.Pool;
  private readonly projection;
  private readonly log: Logger;
  private target: string;
  private committed: SpaceModel;
  private committedCheckpoint = 0;
  /** Which folds on arrival still apply to what the store holds. */
  private readonly lineage = new FoldLineage();

  constructor(options: SpaceAdapterOptions) {
    this.name = options.name ?? DEFAULT_ADAPTER_NAME;
    this.config = options.config ?? resolveSpaceConfig();
    this.schema = options.schema ?? 'space';
    this.target = this.schema;
    this.log = options.logger ?? silentLogger;
    const { pool, dialect } = createPool({
      connectionString: options.connectionString,
      settings: COMMIT_SETTINGS,
    });
    this.pool = pool;
    this.db = new Kysely<SpaceDatabase>({ dialect });
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
    this.lineage.moved();
    this.committedCheckpoint = await readSqlCheckpoint(
      sqlExecutor(db),
      this.name,
      checkpointTable(this.target),
    );
  }

  /**
   * Runs `work` (folds, no I/O), then commits in one statement. If the store is not at the model's
   * checkpoint (restored, emptied by hand, or asynchronous commits lost in a crash), the model is
   * reloaded from it; when the store is where the kit's batch starts, the work is folded again on the
   * reloaded model, else the kit is told where the store is ({@link CheckpointMovedError}).
   */
  async transaction<R>(work: (tx: SpaceTx) => Promise<R>): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      const tx: SpaceTx = {};
      const result = await work(tx);
      const model = this.committedCheckpoint;
      const { next, previous } = tx.checkpoint ?? { next: model, previous: model };
      const committed = this.committed.resources;
      const writes = tx.working
        ? [
            ...resourceWrites(this.target, this.config, tx.working.resources.changed(), (id) =>
              committed.get(id),
            ),
            ...aggregateWrites(this.target, this.config, tx.working, this.committed),
          ]
        : [];
      const gate = { projector: this.name, table: checkpointTable(this.target), model, previous, next };
      const outcome = await commitInOneStatement(this.pool, gate, writes).catch((e: unknown) => {
        // No reply from PostgreSQL (pg fails to connect with a plain Error): the kit must retry the
        // batch, not dead-letter it.
        if (e instanceof pg.DatabaseError) throw e;
        throw new TransientError(`cannot reach PostgreSQL: ${(e as Error).message}`, { cause: e });
      });
      if (outcome.written) {
        if (tx.working) {
          this.committed = commitBatch(tx.working);
          this.lineage.written(tx.fold);
        }
        this.committedCheckpoint = next;
        return result;
      }
      if (outcome.stored !== model) {
        this.log.warn(
          { stored: outcome.stored, held: model },
          'store changed outside this process; reloading the model',
        );
        await this.reload(this.db);
        if (outcome.stored === previous && attempt === 0) continue;
      }
      throw new CheckpointMovedError(previous, outcome.stored);
    }
  }

  /** The store's checkpoint; inside a unit of work, the one before it (nothing is written until it ends). */
  readCheckpoint(): Promise<number> {
    return readSqlCheckpoint(sqlExecutor(this.db), this.name, checkpointTable(this.target));
  }

  /** Recorded, and written by the batch's one statement only if the store still holds `previous`. */
  async writeCheckpoint(sequence: number, tx: SpaceTx, previous: number): Promise<void> {
    tx.checkpoint = { next: sequence, previous };
  }

  /**
   * Folding on arrival: a batch's events are folded as they come, on the working model of the batch
   * before it while that one commits; the commit writes the fold if the store holds what it was
   * opened on.
   */
  readonly prefold: Prefold<SpaceTx> = {
    open: (after) => {
      if (after instanceof SpaceFold) return new SpaceFold(after, stackBatch(after.working), this.projection);
      return new SpaceFold(this.lineage.current, beginBatch(this.committed), this.projection);
    },
    project: async (batch, tx) => {
      if (!(batch instanceof SpaceFold) || !this.lineage.holds(batch) || tx.working) return false;
      // The batch it was stacked on is committed: the base holds its changes.
      batch.working.resources.unstack();
      tx.working = batch.working;
      tx.fold = batch;
      return true;
    },
  };

  async project(batch: readonly StreamEvent[], tx: SpaceTx): Promise<void> {
    tx.working ??= beginBatch(this.committed);
    // What to write is what the working model holds that the committed one does not (transaction).
    foldBatch(this.projection, tx.working, batch);
  }

  async reset(): Promise<void> {
    await this.db.transaction().execute((db) => resetStore(db, this.target, this.config));
    this.committed = emptyModel(this.config);
    this.lineage.moved();
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
      this.lineage.moved();
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
