import { EventStore } from '@cim/event-store';
import { generateFleet } from '@cim/fleet-generator';
import { Projector } from '@cim/projection-kit';
import { DEFAULT_NATS_URL, reachNats, uniqueName, waitFor } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KvSnapshotStore } from './kv-snapshot-store.js';
import { MetricsAdapter } from './metrics-adapter.js';
import { flatten, referenceSeries } from './testing/reference-series.js';

const events = [...generateFleet({ resources: 120, events: 3_000, seed: 17 })];
const first = events.slice(0, 2_000);

describe('model snapshots in NATS KV', () => {
  let nc: NatsConnection;
  let store: EventStore;
  const root = uniqueName('snap');
  const stream = root.toUpperCase();
  const bucket = `${root}_snapshots`;
  const name = `metrics_${root}`;

  const snapshots = async (over: { stream?: string; lastSequence?: number } = {}) =>
    KvSnapshotStore.open(nc, {
      bucket,
      key: name,
      stream: over.stream ?? `${stream}@${(await store.streamInfo()).created}`,
      lastSequence: over.lastSequence ?? (await store.lastSequence()),
      chunkBytes: 16 * 1024, // several chunks even for this small fleet
    });

  const run = async (adapter: MetricsAdapter, until: number) => {
    const p = await Projector.start({
      adapter,
      nc,
      stream,
      subjectRoot: root,
      maxBatch: 400,
      dlq: { stream: `${stream}_DLQ`, prefix: `dlq_${root}` },
    });
    await waitFor(async () => adapter.model.sequence >= until, {
      timeoutMs: 20_000,
      message: `sequence ${until}`,
    });
    await p.stop();
  };

  beforeAll(async () => {
    const { url } = await reachNats(process.env.NATS_URL || DEFAULT_NATS_URL);
    nc = await connect({ servers: url, noAsyncTraces: true });
    store = await EventStore.open(nc, { stream: { name: stream, subjectRoot: root } });
    await store.appendMany(first);
  });

  afterAll(async () => {
    const jsm = await jetstreamManager(nc);
    for (const s of [stream, `${stream}_DLQ`, `KV_${bucket}`]) await jsm.streams.delete(s).catch(() => {});
    await store?.close();
    await nc?.close();
  });

  it('restarts from a snapshot and catches up with only the events after it', async () => {
    const before = new MetricsAdapter({ name, snapshots: await snapshots() });
    await before.initialize();
    expect(before.restoredSequence).toBe(0);
    await run(before, first.length);
    expect(await before.saveSnapshot()).toBe(first.length);
    expect(await before.saveSnapshot()).toBeUndefined(); // unchanged since
    await store.appendMany(events.slice(first.length));

    const after = new MetricsAdapter({ name, snapshots: await snapshots() });
    let applied = 0;
    const project = after.project.bind(after);
    after.project = async (batch, tx) => {
      applied += batch.length;
      return project(batch, tx);
    };
    await run(after, events.length);
    expect(after.restoredSequence).toBe(first.length);
    expect(applied).toBe(events.length - first.length);
    expect(flatten(after.series())).toEqual(referenceSeries(events, { maxResourceSeries: 5000 }));
  });

  it('ignores a snapshot of another stream, or one ahead of the stream', async () => {
    for (const over of [{ stream: `${stream}@1999-01-01T00:00:00Z` }, { lastSequence: 10 }]) {
      const adapter = new MetricsAdapter({ name, snapshots: await snapshots(over) });
      await adapter.initialize();
      expect(adapter.restoredSequence).toBe(0);
      expect(await adapter.readCheckpoint()).toBe(0);
    }
  });

  it('forgets the snapshot on reset (a rebuild), and leaves no chunks behind', async () => {
    const adapter = new MetricsAdapter({ name, snapshots: await snapshots() });
    await adapter.initialize();
    expect(adapter.restoredSequence).toBeGreaterThan(0);
    await adapter.reset();
    const fresh = new MetricsAdapter({ name, snapshots: await snapshots() });
    await fresh.initialize();
    expect(fresh.restoredSequence).toBe(0);
    const kv = await new Kvm(nc).open(bucket);
    const keys: string[] = [];
    for await (const k of await kv.keys()) keys.push(k);
    expect(keys).toEqual([]);
  });
});
