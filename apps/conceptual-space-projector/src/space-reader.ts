import { readSqlCheckpoint } from '@cim/projection-kit';
import { Kysely } from 'kysely';
import { loadModel } from './load-model.js';
import { createPool } from './pg-pool.js';
import type { SpaceDatabase } from './schema.js';
import type { SpaceConfig } from './space-config.js';
import { checkpointTable, sqlExecutor } from './space-store.js';
import { SpaceView, snapshotOfModel } from './space-view.js';

export interface SpaceReaderOptions {
  connectionString: string;
  /** Schema of the live model. @default 'space' */
  schema?: string;
  /** Projector whose checkpoint marks a new version of the model. */
  projector: string;
  config: SpaceConfig;
  /** A view is reused for this long before the checkpoint is looked at again. @default 1000 */
  refreshMs?: number;
}

/**
 * Reads the live model from PostgreSQL for queries. Classification and anomalies depend on the whole
 * space (frame, prototypes, threshold), so a view is built from one consistent snapshot (a
 * repeatable-read transaction) and reused until the projector's checkpoint moves on.
 */
export class SpaceReader {
  private readonly db: Kysely<SpaceDatabase>;
  private readonly schema: string;
  private cached: { view: SpaceView; checkedAt: number } | undefined;
  private loading: Promise<SpaceView> | undefined;

  constructor(private readonly options: SpaceReaderOptions) {
    this.schema = options.schema ?? 'space';
    this.db = new Kysely<SpaceDatabase>({
      dialect: createPool({ connectionString: options.connectionString, max: 2 }).dialect,
    });
  }

  /** The current view: cached, or rebuilt when the checkpoint changed. Concurrent callers share a load. */
  view(): Promise<SpaceView> {
    const cached = this.cached;
    if (cached && Date.now() - cached.checkedAt < (this.options.refreshMs ?? 1_000))
      return Promise.resolve(cached.view);
    this.loading ??= this.refresh().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async refresh(): Promise<SpaceView> {
    const checkpoint = await readSqlCheckpoint(
      sqlExecutor(this.db),
      this.options.projector,
      checkpointTable(this.schema),
    );
    if (this.cached && this.cached.view.snapshot.checkpoint === checkpoint) {
      this.cached.checkedAt = Date.now();
      return this.cached.view;
    }
    const view = await this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (tx) => {
        const at = await readSqlCheckpoint(
          sqlExecutor(tx),
          this.options.projector,
          checkpointTable(this.schema),
        );
        const model = await loadModel(tx, this.schema, this.options.config);
        return new SpaceView(snapshotOfModel(this.options.config, model, at));
      });
    this.cached = { view, checkedAt: Date.now() };
    return view;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
