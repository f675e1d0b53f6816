import pg from 'pg';
import {
  foldBatch,
  type HealthStatus,
  type Prefold,
  type PrefoldedBatch,
  type ProjectionAdapter,
  type ShadowRebuild,
  type StreamEvent,
} from '../adapter.js';
import {
  ensureCheckpointTable,
  readSqlCheckpoint,
  writeSqlCheckpoint,
} from '../checkpoint/sql-checkpoint.js';
import { TransientError } from '../errors.js';
import { FoldLineage, type LineageFold } from '../fold-lineage.js';
import { type ReferenceEffect, type ReferenceModel, referenceProjection } from './reference-projection.js';

export interface PgReferenceOptions {
  connectionString: string;
  name: string;
  /** Schema of the live model; the shadow uses `${schema}_shadow`. */
  schema: string;
  /** Makes `project` throw for matching events (a deterministic handler bug, for poison tests). */
  failOn?: (event: StreamEvent) => boolean;
  /** Fold on arrival (the kit's `prefold`), as the conceptual-space adapter does. @default false */
  prefold?: boolean;
}

/** A batch's effects, folded on arrival, and what the store must hold for them to apply. */
class ReferenceFold implements PrefoldedBatch, LineageFold {
  readonly effects: ReferenceEffect[] = [];
  constructor(
    public base: object | null,
    private readonly failOn: ((event: StreamEvent) => boolean) | undefined,
  ) {}

  add(event: StreamEvent): void {
    if (this.failOn?.(event)) throw new Error(`handler rejects event ${event.sequence}`);
    for (const e of referenceProjection.apply(null, event).effects) this.effects.push(e);
  }
}

/**
 * Reference adapter over PostgreSQL: effects from the pure projection, executed in one transaction
 * with the checkpoint; blue/green rebuild by building a shadow schema and renaming it into place.
 */
export class PgReferenceAdapter implements ProjectionAdapter<pg.PoolClient> {
  readonly name: string;
  readonly pool: pg.Pool;
  failOn: ((event: StreamEvent) => boolean) | undefined;
  private target: string;
  private readonly lineage = new FoldLineage();
  /** The fold the transaction in progress writes. */
  private writing: ReferenceFold | undefined;
  readonly prefold: Prefold<pg.PoolClient> | undefined;

  constructor(private readonly options: PgReferenceOptions) {
    this.name = options.name;
    this.target = options.schema;
    this.failOn = options.failOn;
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: 4,
      connectionTimeoutMillis: 2_000,
    });
    this.pool.on('error', () => {}); // idle clients dropped by an outage; the next query reports it
    this.prefold = options.prefold
      ? {
          open: (after) =>
            new ReferenceFold(after instanceof ReferenceFold ? after : this.lineage.current, this.failOn),
          project: async (batch, tx) => {
            if (!(batch instanceof ReferenceFold) || !this.lineage.holds(batch)) return false;
            await this.write(batch.effects, tx);
            this.writing = batch;
            return true;
          },
        }
      : undefined;
  }

  private async createSchema(schema: string): Promise<void> {
    await this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.event_counts (event_type text PRIMARY KEY, n bigint NOT NULL)`,
    );
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.resources (id uuid PRIMARY KEY, hostname text NOT NULL, status text NOT NULL, version int NOT NULL)`,
    );
    await ensureCheckpointTable(this.pool, `${schema}.checkpoints`);
  }

  async initialize(): Promise<void> {
    await this.createSchema(this.options.schema);
  }

  async transaction<R>(work: (tx: pg.PoolClient) => Promise<R>): Promise<R> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw new TransientError(`cannot connect to PostgreSQL: ${(e as Error).message}`, { cause: e });
    }
    // A connection lost while checked out emits 'error' on the client; the failing query reports it.
    const onError = () => {};
    client.on('error', onError);
    try {
      this.writing = undefined;
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      this.lineage.written(this.writing as ReferenceFold | undefined);
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      this.writing = undefined;
      client.off('error', onError);
      client.release();
    }
  }

  readCheckpoint(tx?: pg.PoolClient): Promise<number> {
    return readSqlCheckpoint(tx ?? this.pool, this.name, `${this.target}.checkpoints`);
  }

  writeCheckpoint(sequence: number, tx: pg.PoolClient, previous: number): Promise<void> {
    return writeSqlCheckpoint(tx, this.name, sequence, previous, `${this.target}.checkpoints`);
  }

  async project(batch: readonly StreamEvent[], tx: pg.PoolClient): Promise<void> {
    for (const item of batch)
      if (this.failOn?.(item)) throw new Error(`handler rejects event ${item.sequence}`);
    await this.write(foldBatch(referenceProjection, null, batch).effects, tx);
  }

  private async write(effects: readonly ReferenceEffect[], tx: pg.PoolClient): Promise<void> {
    for (const e of effects) {
      if (e.kind === 'count') {
        await tx.query(
          `INSERT INTO ${this.target}.event_counts VALUES ($1, 1) ON CONFLICT (event_type) DO UPDATE SET n = event_counts.n + 1`,
          [e.event_type],
        );
      } else {
        await tx.query(
          `INSERT INTO ${this.target}.resources VALUES ($1, coalesce($2, ''), coalesce($3, 'active'), $4)
           ON CONFLICT (id) DO UPDATE SET hostname = coalesce($2, resources.hostname),
             status = coalesce($3, resources.status), version = $4`,
          [e.id, e.hostname ?? null, e.status ?? null, e.version],
        );
      }
    }
  }

  async reset(): Promise<void> {
    this.lineage.moved();
    await this.pool.query(
      `TRUNCATE ${this.target}.event_counts, ${this.target}.resources, ${this.target}.checkpoints`,
    );
  }

  async healthCheck(): Promise<HealthStatus> {
    try {
      await this.pool.query('SELECT 1');
      return { state: 'ok' };
    } catch (e) {
      return { state: 'degraded', detail: (e as Error).message };
    }
  }

  readonly shadow: ShadowRebuild = {
    begin: async () => {
      const shadow = `${this.options.schema}_shadow`;
      await this.pool.query(`DROP SCHEMA IF EXISTS ${shadow} CASCADE`);
      await this.createSchema(shadow);
      this.target = shadow;
      this.lineage.moved();
    },
    swap: async () => {
      const live = this.options.schema;
      await this.transaction(async (tx) => {
        await tx.query(`ALTER SCHEMA ${live} RENAME TO ${live}_old`);
        await tx.query(`ALTER SCHEMA ${live}_shadow RENAME TO ${live}`);
        await tx.query(`DROP SCHEMA ${live}_old CASCADE`);
      });
      this.target = live;
    },
    abort: async () => {
      await this.pool.query(`DROP SCHEMA IF EXISTS ${this.options.schema}_shadow CASCADE`);
      this.target = this.options.schema;
      this.lineage.moved();
    },
  };

  /** The live model, as readers see it. */
  async snapshot(): Promise<ReferenceModel> {
    const live = this.options.schema;
    const counts = await this.pool.query(
      `SELECT event_type, n FROM ${live}.event_counts ORDER BY event_type`,
    );
    const resources = await this.pool.query(
      `SELECT id, hostname, status, version FROM ${live}.resources ORDER BY id`,
    );
    return {
      counts: Object.fromEntries(counts.rows.map((r) => [r.event_type, Number(r.n)])),
      resources: Object.fromEntries(
        resources.rows.map((r) => [r.id, { hostname: r.hostname, status: r.status, version: r.version }]),
      ),
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
