import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';

/** @default 'cim_checkpoints' */
export const DEFAULT_CHECKPOINT_BUCKET = 'cim_checkpoints';

/**
 * Checkpoints in NATS KV, for stores without transactions (NetBox): written after each batch whose
 * writes were idempotent upserts, so a crash between the two re-applies harmlessly.
 */
export class KvCheckpointStore {
  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection, bucket = DEFAULT_CHECKPOINT_BUCKET): Promise<KvCheckpointStore> {
    const kv = await new Kvm(nc).create(bucket, { history: 1 });
    return new KvCheckpointStore(kv);
  }

  async read(projector: string): Promise<number> {
    const entry = await this.kv.get(projector);
    if (entry?.operation !== 'PUT' || entry.length === 0) return 0;
    const value = Number(entry.string());
    return Number.isSafeInteger(value) && value >= 0 ? value : 0;
  }

  async write(projector: string, sequence: number): Promise<void> {
    await this.kv.put(projector, String(sequence));
  }

  async clear(projector: string): Promise<void> {
    await this.kv.delete(projector);
  }
}
