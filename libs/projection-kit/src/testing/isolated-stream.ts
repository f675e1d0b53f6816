import type { InfrastructureEvent } from '@cim/contract';
import { EventStore } from '@cim/event-store';
import { uniqueName, waitFor } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { StreamEvent } from '../adapter.js';
import { Projector, type ProjectorOptions } from '../projector.js';

/** An event stream of its own for one test file: stream, subject root, DLQ and admin prefix. */
export interface IsolatedStream {
  nc: NatsConnection;
  store: EventStore;
  stream: string;
  root: string;
  dlq: { stream: string; prefix: string };
  adminPrefix: string;
  /** Valid events published through {@link publish}, in stream order with their sequences. */
  stored: StreamEvent[];
  publish(events: Iterable<InfrastructureEvent>): Promise<void>;
  /** Publishes bytes as they are (no validation, no dedup id), for poison events; returns the sequence. */
  publishRaw(subjectSuffix: string, data: string): Promise<number>;
  /** Starts a real Projector for `adapter` on this stream (batches of 500 unless `extra` says otherwise). */
  start(adapter: ProjectorOptions['adapter'], extra?: Partial<ProjectorOptions>): Promise<Projector>;
  waitForCheckpoint(p: Projector, sequence: number, timeoutMs?: number): Promise<void>;
  /** Deletes the streams and closes the connection. */
  close(): Promise<void>;
}

/** Creates an {@link IsolatedStream} on the NATS server at `natsUrl`. */
export const createIsolatedStream = async (natsUrl: string, prefix = 't'): Promise<IsolatedStream> => {
  const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
  const root = uniqueName(prefix);
  const stream = root.toUpperCase();
  const store = await EventStore.open(nc, { stream: { name: stream, subjectRoot: root } });
  // Admin and DLQ subjects must stay outside `${root}.>`, which the event stream captures.
  const dlq = { stream: `${stream}_DLQ`, prefix: `dlq_${root}` };
  const stored: StreamEvent[] = [];
  return {
    nc,
    store,
    stream,
    root,
    dlq,
    adminPrefix: `admin_${root}`,
    stored,
    async publish(events) {
      const list = [...events];
      const first = (await store.lastSequence()) + 1;
      await store.appendMany(list);
      for (const [i, event] of list.entries()) {
        stored.push({ sequence: first + i, subject: '', timestamp: new Date(), event });
      }
    },
    async publishRaw(suffix, data) {
      const ack = await nc.request(`${root}.${suffix}`, data);
      return (ack.json() as { seq: number }).seq;
    },
    start: (adapter, extra = {}) =>
      Projector.start({ adapter, nc, stream, subjectRoot: root, dlq, maxBatch: 500, ...extra }),
    async waitForCheckpoint(p, sequence, timeoutMs = 30_000) {
      await waitFor(async () => (await p.status()).checkpoint >= sequence, {
        timeoutMs,
        message: `${p.name} to reach checkpoint ${sequence}`,
      });
    },
    async close() {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete(stream).catch(() => {});
      await jsm.streams.delete(dlq.stream).catch(() => {});
      await store.close();
      await nc.close();
    },
  };
};
