import type { HealthStatus, ProjectionAdapter, ShadowRebuild, StreamEvent } from '@cim/projection-kit';
import { applyChange } from './apply-change.js';
import { Journal } from './journal.js';
import type { SeriesSource } from './metrics.js';
import { changesOf } from './model.js';
import { decodeModel, encodeModel } from './model-codec.js';
import { emptyModel, type MetricsModel } from './model-state.js';
import { type ModelSeries, modelSeries } from './series.js';

/** @default 'metrics-projector' */
export const DEFAULT_PROJECTOR_NAME = 'metrics-projector';
/** @default 5000 */
export const DEFAULT_MAX_RESOURCE_SERIES = 5000;

/** An encoded model ({@link encodeModel}) and the stream sequence it is at. */
export interface SavedSnapshot {
  sequence: number;
  text: string;
}

/** Where the adapter may keep a snapshot of its model to start faster than a full replay. */
export interface ModelSnapshotStore {
  /** The last saved snapshot, or undefined when there is none usable. */
  load(): Promise<SavedSnapshot | undefined>;
  save(snapshot: SavedSnapshot): Promise<void>;
  clear(): Promise<void>;
}

export interface MetricsAdapterOptions {
  /** Consumer, metrics label, admin and DLQ name. @default DEFAULT_PROJECTOR_NAME */
  name?: string;
  /** Most resources with their own utilization series. @default DEFAULT_MAX_RESOURCE_SERIES */
  maxResourceSeries?: number;
  /** Restore from / save to this store; without one the model is rebuilt by replay at every start. */
  snapshots?: ModelSnapshotStore;
}

/** The unit of work: the model being written, the undo log of this batch and the new checkpoint. */
export interface MetricsTx {
  readonly model: MetricsModel;
  readonly journal: Journal;
  checkpoint: number;
}

/**
 * The metrics read model as a kit adapter: an in-memory model, changed by the pure fold
 * ({@link changesOf}) through an undo journal, so a failed batch leaves no trace. The checkpoint
 * lives in the model: it is derived state, and an empty model at start reads 0, which makes the
 * kit re-position the consumer and replay from sequence 1. Blue/green rebuilds are free in memory:
 * a shadow model is built while the live one keeps serving, then swapped in.
 */
export class MetricsAdapter implements ProjectionAdapter<MetricsTx>, SeriesSource {
  readonly name: string;
  readonly maxResourceSeries: number;
  private live = emptyModel();
  /** The model transactions write: `live`, or the shadow during a blue/green rebuild. */
  private target = this.live;
  private writing: MetricsModel | null = null;
  private cache: { model: MetricsModel; version: number; series: ModelSeries } | null = null;
  private savedSequence = 0;
  /** The sequence the model was restored at by {@link initialize} (0: replay from the start). */
  restoredSequence = 0;

  constructor(private readonly options: MetricsAdapterOptions = {}) {
    this.name = options.name ?? DEFAULT_PROJECTOR_NAME;
    this.maxResourceSeries = options.maxResourceSeries ?? DEFAULT_MAX_RESOURCE_SERIES;
  }

  /** The model readers see (the live one, also during a rebuild). */
  get model(): MetricsModel {
    return this.live;
  }

  /** Restores the snapshot, if a store is configured and holds a usable one; else starts empty. */
  async initialize(): Promise<void> {
    if (this.live.sequence !== 0) return;
    const saved = await this.options.snapshots?.load();
    const restored = saved && decodeModel(saved.text);
    if (restored && restored.sequence === saved.sequence) {
      this.live = restored;
      this.target = restored;
      this.restoredSequence = restored.sequence;
      this.savedSequence = restored.sequence;
    }
  }

  async transaction<R>(work: (tx: MetricsTx) => Promise<R>): Promise<R> {
    const tx: MetricsTx = { model: this.target, journal: new Journal(), checkpoint: this.target.sequence };
    this.writing = tx.model;
    try {
      const result = await work(tx);
      tx.model.sequence = tx.checkpoint;
      tx.model.version++;
      return result;
    } catch (error) {
      tx.journal.rollback();
      throw error;
    } finally {
      this.writing = null;
    }
  }

  async readCheckpoint(tx?: MetricsTx): Promise<number> {
    return tx?.checkpoint ?? this.target.sequence;
  }

  async project(batch: readonly StreamEvent[], tx: MetricsTx): Promise<void> {
    for (const item of batch)
      for (const change of changesOf(item.event, item.sequence)) applyChange(tx.model, change, tx.journal);
  }

  async writeCheckpoint(sequence: number, tx: MetricsTx): Promise<void> {
    tx.checkpoint = sequence;
  }

  async reset(): Promise<void> {
    this.live = emptyModel();
    this.target = this.live;
    this.savedSequence = 0;
    await this.options.snapshots?.clear();
  }

  async healthCheck(): Promise<HealthStatus> {
    return { state: 'ok' };
  }

  readonly shadow: ShadowRebuild = {
    begin: async () => {
      this.target = emptyModel();
    },
    swap: async () => {
      this.live = this.target;
      this.savedSequence = 0;
      await this.options.snapshots?.clear();
    },
    abort: async () => {
      this.target = this.live;
    },
  };

  /**
   * Series of the committed live model. While a unit of work is writing the live model, the last
   * computed series are served, so a scrape never sees half a batch.
   */
  series(): ModelSeries {
    const cache = this.cache;
    if (cache?.model === this.live && (cache.version === this.live.version || this.writing === this.live))
      return cache.series;
    const series = modelSeries(this.live, { maxResourceSeries: this.maxResourceSeries });
    this.cache = { model: this.live, version: this.live.version, series };
    return series;
  }

  /**
   * Saves a snapshot of the live model now; resolves to its sequence, or undefined when there was
   * nothing to save (no store, empty model, unchanged since the last save, or a batch in hand).
   */
  async saveSnapshot(): Promise<number | undefined> {
    const store = this.options.snapshots;
    const live = this.live;
    if (!store || live.sequence === 0 || live.sequence === this.savedSequence || this.writing === live)
      return;
    // Encoded synchronously: one consistent committed state, whatever arrives during the upload.
    const snapshot = { sequence: live.sequence, text: encodeModel(live) };
    await store.save(snapshot);
    this.savedSequence = snapshot.sequence;
    return snapshot.sequence;
  }
}
