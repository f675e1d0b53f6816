import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import type { ModelSnapshotStore, SavedSnapshot } from './metrics-adapter.js';

/** @default 'cim_metrics_snapshots' */
export const DEFAULT_SNAPSHOT_BUCKET = 'cim_metrics_snapshots';

interface Manifest {
  sequence: number;
  /** Which event stream (name and creation time) the sequence counts in. */
  stream: string;
  generation: string;
  chunks: number;
  bytes: number;
}

export interface KvSnapshotOptions {
  /** @default DEFAULT_SNAPSHOT_BUCKET */
  bucket?: string;
  /** Key prefix, normally the projector name. */
  key: string;
  /** Identity of the event stream, e.g. `NAME@created`: a snapshot of another (recreated) stream is ignored. */
  stream: string;
  /** The stream's last sequence now: a snapshot ahead of it (purged stream) is ignored. */
  lastSequence: number;
  /** Bytes per KV value. @default the server's max_payload less 16 KiB for headers */
  chunkBytes?: number;
}

/**
 * Model snapshots in NATS KV. A snapshot is tens of MB, more than one message may carry, so it is
 * cut into chunks under a fresh generation, and a manifest naming the generation is written last:
 * a reader sees the old snapshot or the new one, never half of each. Older chunks are purged after.
 */
export class KvSnapshotStore implements ModelSnapshotStore {
  private constructor(
    private readonly kv: KV,
    private readonly options: KvSnapshotOptions,
    private readonly chunkBytes: number,
  ) {}

  static async open(nc: NatsConnection, options: KvSnapshotOptions): Promise<KvSnapshotStore> {
    const kv = await new Kvm(nc).create(options.bucket ?? DEFAULT_SNAPSHOT_BUCKET, { history: 1 });
    // Leave room for headers under the server's message size limit.
    const chunkBytes =
      options.chunkBytes ?? Math.max(64 * 1024, (nc.info?.max_payload ?? 1024 * 1024) - 16 * 1024);
    return new KvSnapshotStore(kv, options, chunkBytes);
  }

  private get manifestKey(): string {
    return `${this.options.key}.manifest`;
  }

  private chunkKey(generation: string, i: number): string {
    return `${this.options.key}.${generation}.${i}`;
  }

  private async manifest(): Promise<Manifest | undefined> {
    const entry = await this.kv.get(this.manifestKey);
    if (entry?.operation !== 'PUT' || entry.length === 0) return undefined;
    return entry.json<Manifest>();
  }

  async load(): Promise<SavedSnapshot | undefined> {
    const m = await this.manifest();
    if (!m || m.stream !== this.options.stream || m.sequence > this.options.lastSequence) return undefined;
    const parts: Uint8Array[] = [];
    for (let i = 0; i < m.chunks; i++) {
      const entry = await this.kv.get(this.chunkKey(m.generation, i));
      if (entry?.operation !== 'PUT') return undefined;
      parts.push(entry.value);
    }
    const bytes = Buffer.concat(parts);
    if (bytes.length !== m.bytes) return undefined;
    return { sequence: m.sequence, text: bytes.toString('utf8') };
  }

  async save(snapshot: SavedSnapshot): Promise<void> {
    const previous = await this.manifest();
    const bytes = Buffer.from(snapshot.text, 'utf8');
    const generation = `g${Date.now().toString(36)}`;
    const chunks = Math.ceil(bytes.length / this.chunkBytes);
    for (let i = 0; i < chunks; i++)
      await this.kv.put(
        this.chunkKey(generation, i),
        bytes.subarray(i * this.chunkBytes, (i + 1) * this.chunkBytes),
      );
    const manifest: Manifest = {
      sequence: snapshot.sequence,
      stream: this.options.stream,
      generation,
      chunks,
      bytes: bytes.length,
    };
    await this.kv.put(this.manifestKey, JSON.stringify(manifest));
    if (previous && previous.generation !== generation) await this.purge(previous);
  }

  async clear(): Promise<void> {
    const m = await this.manifest();
    await this.kv.purge(this.manifestKey);
    if (m) await this.purge(m);
  }

  private async purge(m: Manifest): Promise<void> {
    for (let i = 0; i < m.chunks; i++) await this.kv.purge(this.chunkKey(m.generation, i));
  }
}
