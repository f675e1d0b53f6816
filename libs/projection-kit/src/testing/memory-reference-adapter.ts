import { foldBatch, type HealthStatus, type ProjectionAdapter, type StreamEvent } from '../adapter.js';
import {
  applyEffects,
  emptyModel,
  type ReferenceModel,
  referenceProjection,
} from './reference-projection.js';

interface Tx {
  model: ReferenceModel;
  checkpoint: number;
}

/** In-memory adapter with copy-on-write transactions: a failed unit of work leaves no trace. */
export class MemoryReferenceAdapter implements ProjectionAdapter<Tx> {
  model = emptyModel();
  checkpoint = 0;
  constructor(readonly name = 'memory_reference') {}

  async initialize(): Promise<void> {}

  async transaction<R>(work: (tx: Tx) => Promise<R>): Promise<R> {
    const tx: Tx = { model: structuredClone(this.model), checkpoint: this.checkpoint };
    const result = await work(tx);
    this.model = tx.model;
    this.checkpoint = tx.checkpoint;
    return result;
  }

  async readCheckpoint(tx?: Tx): Promise<number> {
    return tx?.checkpoint ?? this.checkpoint;
  }

  async project(batch: readonly StreamEvent[], tx: Tx): Promise<void> {
    applyEffects(tx.model, foldBatch(referenceProjection, null, batch).effects);
  }

  async writeCheckpoint(sequence: number, tx: Tx): Promise<void> {
    tx.checkpoint = sequence;
  }

  async reset(): Promise<void> {
    this.model = emptyModel();
    this.checkpoint = 0;
  }

  async healthCheck(): Promise<HealthStatus> {
    return { state: 'ok' };
  }
}
