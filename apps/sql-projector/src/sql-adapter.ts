import {
  checkpointMovedFrom,
  FoldLineage,
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
  sqlCheckpointAdvance,
  writeSqlCheckpoint,
} from '@cim/projection-kit';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import type pg from 'pg';
import { runBatchedTransaction } from './batched-transaction.js';
import { CHECKPOINT_TABLE, checkpointTableIn, executorOf } from './checkpoint-table.js';
import { COPY_MIN_ROWS, isCopy, type Write } from './copy-rows.js';
import type { OpenDatabase } from './database.js';
import { classifyStoreError } from './errors.js';
import type { ParameterisedStatement } from './inline-parameters.js';
import type { SqlProjectorMetrics } from './metrics.js';
import { migrateToLatest } from './migrations/index.js';
import { initialModelState, type ModelState, sqlProjection } from './model.js';
import { NetworkIndex } from './network-index.js';
import type { Database } from './schema.js';
import { validSchemaName } from './schema-name.js';
import { dropSchema, retiredSchemaOf, shadowSchemaOf, swapInShadow } from './schema-swap.js';
import { dropSecondaryIndexes, ensureSecondaryIndexes } from './secondary-indexes.js';
import { planStatements } from './write-effects.js';
import { addToPlan, emptyPlan, linkToFinalNetworks, planSize, type WritePlan } from './write-plan.js';

/** @default 'sql-projector' */
export const DEFAULT_PROJECTOR_NAME = 'sql-projector';
/** @default 'cim' */
export const DEFAULT_SCHEMA = 'cim';

export interface SqlAdapterOptions {
  database: OpenDatabase;
  /** Schema of the live model; the shadow is `${schema}_shadow`. @default DEFAULT_SCHEMA */
  schema?: string;
  /** Consumer, metrics label and checkpoint key. @default DEFAULT_PROJECTOR_NAME */
  name?: string;
  metrics?: SqlProjectorMetrics;
  logger?: Logger;
}

/** The unit of work: the schema being written, how its writes go out, and the state it reaches. */
export interface SqlTx {
  /** For the unit of work's reads (loading the model state). */
  readonly db: Kysely<Database>;
  readonly schema: string;
  /** Runs a write, or queues it for the batch's one round trip. */
  readonly write: (write: Write) => Promise<unknown>;
  state?: ModelState;
  /** The fold on arrival the batch was written from, if it was. */
  fold?: SqlFold;
  checkpoint?: { sequence: number; previous: number };
}

/**
 * A batch folded on arrival: the state after it and its compacted writes, and what the store must
 * hold for them to apply.
 */
class SqlFold implements PrefoldedBatch, LineageFold {
  readonly plan: WritePlan;
  constructor(
    public base: object | null,
    readonly schema: string,
    public state: ModelState,
    /** From how many rows on an insert is a COPY (undefined: never, on PGlite). */
    copyFrom: number | undefined,
  ) {
    this.plan = emptyPlan(copyFrom);
  }

  add(event: StreamEvent): void {
    const step = sqlProjection.apply(this.state, event);
    this.state = step.state;
    addToPlan(this.plan, step.effects);
  }
}

const TABLES = [
  'event_audit',
  'policy_targets',
  'policies',
  'software_installations',
  'connections',
  'networks',
  'interface_addresses',
  'interfaces',
  'compute_resources',
  CHECKPOINT_TABLE,
];

/**
 * Settings of each projection transaction. No hash or merge joins: every write joins one batch
 * (thousands of rows) to a table by primary key; a nested loop over the index costs the batch, where
 * a hash join would scan the whole (growing) table once per batch. Asynchronous commit: a commit
 * does not wait for the WAL flush, whose occasional stalls (100+ ms on shared disks) would be every
 * live event's latency. A server crash can lose the last batches, model and checkpoint together;
 * the next batch's checkpoint write sees it (`CheckpointMovedError`) and the kit replays from there.
 * Generic plans: the statements run prepared (`server-statements.ts`) and are not planned per batch.
 */
const TX_SETTINGS = sql.join([
  sql`set_config('plan_cache_mode', 'force_generic_plan', true)`,
  sql`set_config('enable_hashjoin', 'off', true)`,
  sql`set_config('enable_mergejoin', 'off', true)`,
  sql`set_config('synchronous_commit', 'off', true)`,
]);

/**
 * The PostgreSQL (or PGlite) read model as a kit adapter. Each batch is folded in memory by the
 * pure projection, compacted so each row is written once, written set-based, and committed with the
 * checkpoint in one transaction. Zero-downtime rebuilds build a shadow schema and rename it live.
 */
export class SqlProjectionAdapter implements ProjectionAdapter<SqlTx> {
  readonly name: string;
  /** Schema readers query. */
  readonly schema: string;
  private target: string;
  /** Model state as committed in `target`; undefined until loaded from the store. */
  private state: ModelState | undefined;
  private readonly database: OpenDatabase;
  private readonly log: Logger;
  /** The transaction settings as a statement of a batched transaction (compiled once). */
  private readonly settings: ParameterisedStatement;
  /** The live schema lacks its secondary indexes until the replay into it catches up. */
  private indexesDeferred = false;
  /** Which folds on arrival still apply to what the store holds. */
  private readonly lineage = new FoldLineage();

  constructor(private readonly options: SqlAdapterOptions) {
    this.name = options.name ?? DEFAULT_PROJECTOR_NAME;
    this.schema = validSchemaName(options.schema ?? DEFAULT_SCHEMA);
    this.target = this.schema;
    this.database = options.database;
    this.log = options.logger ?? silentLogger;
    this.settings = sql`SELECT ${TX_SETTINGS}`.compile(this.database.db);
  }

  private get db() {
    return this.database.db;
  }

  /** From how many rows on an insert goes in as COPY: on a server; PGlite runs statements only. */
  private get copyFrom(): number | undefined {
    return this.database.pool ? COPY_MIN_ROWS : undefined;
  }

  async initialize(): Promise<void> {
    // A shadow left by a crash mid-rebuild is incomplete; the kit resumes from the live checkpoint.
    await dropSchema(this.db, shadowSchemaOf(this.schema));
    await dropSchema(this.db, retiredSchemaOf(this.schema));
    const applied = await migrateToLatest(this.db, this.schema);
    if (applied.length > 0) this.log.info({ schema: this.schema, applied }, 'read model migrated');
    this.target = this.schema;
    this.state = undefined;
    this.lineage.moved();
    // An empty model is about to replay the stream: its secondary indexes wait for `caughtUp`.
    this.indexesDeferred = (await this.readCheckpoint()) === 0;
    if (this.indexesDeferred) await dropSecondaryIndexes(this.db, this.schema);
    else await ensureSecondaryIndexes(this.db, this.schema);
  }

  /** Builds the secondary indexes a replay into the live schema went without. */
  async caughtUp(): Promise<void> {
    if (!this.indexesDeferred || this.target !== this.schema) return;
    const started = performance.now();
    try {
      await ensureSecondaryIndexes(this.db, this.schema);
    } catch (error) {
      throw classifyStoreError(error);
    }
    this.indexesDeferred = false;
    this.log.info(
      { schema: this.schema, seconds: (performance.now() - started) / 1000 },
      'secondary indexes built',
    );
  }

  async transaction<R>(work: (tx: SqlTx) => Promise<R>): Promise<R> {
    try {
      const pool = this.database.pool;
      const { result, state, fold } = pool ? await this.batched(pool, work) : await this.stepwise(work);
      // Only a committed batch moves the cached state; a rolled-back one leaves no trace.
      if (state) {
        this.state = state;
        this.lineage.written(fold);
      }
      return result;
    } catch (error) {
      // The store may not be where the cached state says (lost commits, a restore): read it again.
      this.state = undefined;
      this.lineage.moved();
      throw classifyStoreError(error);
    }
  }

  /**
   * On a PostgreSQL server: the writes are queued and go out with BEGIN, the settings, the
   * checkpoint (which raises if the store does not hold `previous`) and COMMIT as one message: one
   * round trip per batch instead of one per statement. The checkpoint comes first: a store that
   * holds the batch already fails it before any write (a replay batch's audit COPY cannot skip rows).
   */
  private async batched<R>(pool: pg.Pool, work: (tx: SqlTx) => Promise<R>) {
    const queued: Write[] = [];
    const tx: SqlTx = {
      db: this.db,
      schema: this.target,
      write: async (statement) => {
        queued.push(statement);
      },
    };
    const result = await work(tx);
    const started = performance.now();
    const { checkpoint } = tx;
    const writes: Write[] = [this.settings];
    if (checkpoint) {
      const { text, values } = sqlCheckpointAdvance(
        this.name,
        checkpoint.sequence,
        checkpoint.previous,
        checkpointTableIn(tx.schema),
      );
      writes.push({ sql: text, parameters: values });
    }
    writes.push(...queued);
    await runBatchedTransaction(pool, writes).catch((error: unknown) => {
      throw (checkpoint && checkpointMovedFrom(error, checkpoint.previous)) || error;
    });
    this.observeWrite(started);
    return { result, state: tx.state, fold: tx.fold };
  }

  /** On PGlite (in process: a round trip costs nothing): each write runs as it comes. */
  private stepwise<R>(work: (tx: SqlTx) => Promise<R>) {
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT ${TX_SETTINGS}`.execute(trx);
      const tx: SqlTx = {
        db: trx,
        schema: this.target,
        write: async (write) => {
          for (const statement of isCopy(write) ? write.instead() : [write])
            await trx.executeQuery(CompiledQuery.raw(statement.sql, [...statement.parameters]));
        },
      };
      const result = await work(tx);
      const { checkpoint } = tx;
      if (checkpoint)
        await writeSqlCheckpoint(
          executorOf(trx),
          this.name,
          checkpoint.sequence,
          checkpoint.previous,
          checkpointTableIn(tx.schema),
        );
      return { result, state: tx.state, fold: tx.fold };
    });
  }

  async readCheckpoint(tx?: SqlTx): Promise<number> {
    const schema = tx?.schema ?? this.target;
    return readSqlCheckpoint(executorOf(tx?.db ?? this.db), this.name, checkpointTableIn(schema));
  }

  /** Written at the end of the unit of work, only if the store still holds `previous`. */
  async writeCheckpoint(sequence: number, tx: SqlTx, previous: number): Promise<void> {
    tx.checkpoint = { sequence, previous };
  }

  async project(batch: readonly StreamEvent[], tx: SqlTx): Promise<void> {
    const started = performance.now();
    const state = tx.state ?? this.state ?? (await this.loadState(tx));
    const fold = new SqlFold(null, tx.schema, state, this.copyFrom);
    for (const event of batch) fold.add(event);
    await this.write(fold, tx, started);
  }

  /**
   * Folding on arrival: each event is folded into its batch's compacted writes as it comes, on the
   * state of the batch before it while that one commits; the commit plans the statements and writes
   * them if the store holds what the fold was opened on.
   */
  readonly prefold: Prefold<SqlTx> = {
    open: (after) => {
      if (after instanceof SqlFold) return new SqlFold(after, after.schema, after.state, this.copyFrom);
      // Not loaded yet (the start, a failure): a fold that never applies; the commit loads the state.
      return new SqlFold(
        this.state ? this.lineage.current : {},
        this.target,
        this.state ?? initialModelState(),
        this.copyFrom,
      );
    },
    project: async (batch, tx) => {
      if (!(batch instanceof SqlFold) || !this.lineage.holds(batch) || batch.schema !== tx.schema || tx.state)
        return false;
      await this.write(batch, tx, performance.now());
      tx.fold = batch;
      return true;
    },
  };

  /** Plans a folded batch's statements and queues them (`fold` phase: since `started`). */
  private async write(fold: SqlFold, tx: SqlTx, started: number): Promise<void> {
    const plan = linkToFinalNetworks(fold.plan, fold.state.networks);
    const statements = planStatements(tx.schema, plan, this.copyFrom);
    this.options.metrics?.phaseSeconds.observe(
      { projector: this.name, phase: 'fold' },
      (performance.now() - started) / 1000,
    );
    const writing = performance.now();
    for (const statement of statements) await tx.write(statement);
    tx.state = fold.state;
    this.options.metrics?.rowsWritten.inc({ projector: this.name }, planSize(plan));
    if (!this.database.pool) this.observeWrite(writing);
  }

  private observeWrite(since: number): void {
    this.options.metrics?.phaseSeconds.observe(
      { projector: this.name, phase: 'write' },
      (performance.now() - since) / 1000,
    );
  }

  private async loadState(tx: SqlTx): Promise<ModelState> {
    const rows = await tx.db
      .withSchema(tx.schema)
      .selectFrom('networks')
      .select(['id', 'cidr'])
      .where('status', '=', 'active')
      .execute();
    return { networks: NetworkIndex.of(rows.map((r) => [r.id, r.cidr] as const)) };
  }

  async reset(): Promise<void> {
    const tables = sql.join(TABLES.map((t) => sql.id(this.target, t)));
    try {
      await sql`TRUNCATE ${tables}`.execute(this.db);
      await dropSecondaryIndexes(this.db, this.target);
    } catch (error) {
      throw classifyStoreError(error);
    }
    this.indexesDeferred = true;
    this.state = initialModelState();
    this.lineage.moved();
  }

  async healthCheck(): Promise<HealthStatus> {
    // Reading the checkpoint table also catches a model schema that vanished under us.
    try {
      await sql`SELECT 1 FROM ${sql.id(this.target, CHECKPOINT_TABLE)} LIMIT 1`.execute(this.db);
      return { state: 'ok' };
    } catch (error) {
      return { state: 'degraded', detail: (error as Error).message };
    }
  }

  readonly shadow: ShadowRebuild = {
    begin: async () => {
      const shadow = shadowSchemaOf(this.schema);
      await dropSchema(this.db, shadow);
      await migrateToLatest(this.db, shadow);
      this.target = shadow;
      this.state = initialModelState();
      this.lineage.moved();
      this.log.info({ schema: shadow }, 'building shadow read model');
    },
    swap: async () => {
      try {
        const swapped = await swapInShadow(this.db, this.schema, ensureSecondaryIndexes);
        this.target = this.schema;
        if (!swapped) return;
        this.indexesDeferred = false; // the shadow built its indexes before the swap
        this.log.info({ schema: this.schema }, 'shadow read model swapped in');
        await dropSchema(this.db, retiredSchemaOf(this.schema)).catch((error: unknown) =>
          // Harmless: the next initialize or swap drops it.
          this.log.warn({ err: error }, 'could not drop the retired read model yet'),
        );
      } catch (error) {
        throw classifyStoreError(error);
      }
    },
    abort: async () => {
      await dropSchema(this.db, shadowSchemaOf(this.schema));
      this.target = this.schema;
      this.state = undefined;
      this.lineage.moved();
    },
  };

  async close(): Promise<void> {
    await this.database.close();
  }
}
