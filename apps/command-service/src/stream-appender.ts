import { type InfrastructureEvent, subjectFor } from '@cim/contract';
import { eventHeaders } from '@cim/event-store';
import { PubHeaders } from '@nats-io/jetstream';
import { createInbox, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** Where an append must land: right after `lastSequence`, and after the event `lastEventId` if given. */
export interface AppendExpectation {
  /** Stream-wide `Nats-Expected-Last-Sequence`. */
  lastSequence: number;
  /** `Nats-Expected-Last-Msg-Id`: the event this one was decided after (pipelined appends). */
  lastEventId?: string | undefined;
}

/** Outcome of one conditional append. */
export type AppendOutcome =
  | { ok: true; sequence: number; duplicate: boolean }
  | {
      ok: false;
      reason: 'conflict';
      message: string;
      /** The stream's last sequence, when the server said it ("wrong last sequence: 42"). */
      lastSequence?: number;
    }
  | { ok: false; reason: 'failed'; message: string };

/** Publishes decided events; calls made in order reach the stream in order (they may overlap). */
export interface EventAppender {
  append(event: InfrastructureEvent, data: Uint8Array, expect: AppendExpectation): Promise<AppendOutcome>;
  /** Fails what is still waiting for an ack and stops listening. */
  close(): void;
}

/**
 * JetStream API error codes of a refused expectation: wrong last sequence (10071, and 10164 on newer
 * servers) and wrong last msg id (10070).
 */
const CONFLICT_CODES: ReadonlySet<number> = new Set([10070, 10071, 10164]);

interface PubAckBody {
  stream?: string;
  seq?: number;
  duplicate?: boolean;
  error?: { code?: number; err_code?: number; description?: string };
}

interface Waiting {
  subject: string;
  deadline: number;
  resolve(outcome: AppendOutcome): void;
}

const decoder = new TextDecoder();

/**
 * Appends over plain NATS publishes with a reply inbox, the JetStream publish protocol, with the same
 * subject and {@link eventHeaders} (`Nats-Msg-Id` = event_id) as the event store's `append`, plus
 * `Nats-Expected-Last-Msg-Id`: it makes pipelined appends safe across instances, since an append
 * decided after one of ours that is still in flight is refused unless that very event is the
 * stream's last.
 *
 * It does not use `js.publish`: that makes a request per append, and nats.js builds an Error (with a
 * stack) for every finished request, which halved the pipelined append rate here (see bench/). A
 * conflict is reported as is; the pipeline catches up and recognises an earlier copy by its id.
 */
export class JetStreamAppender implements EventAppender {
  readonly #nc: NatsConnection;
  readonly #stream: string;
  readonly #subjectRoot: string;
  readonly #timeoutMs: number;
  readonly #inbox: string;
  readonly #subscription: Subscription;
  readonly #waiting = new Map<string, Waiting>();
  readonly #sweeper: NodeJS.Timeout;
  #next = 0;

  constructor(nc: NatsConnection, options: { stream: string; subjectRoot: string; timeoutMs: number }) {
    this.#nc = nc;
    this.#stream = options.stream;
    this.#subjectRoot = options.subjectRoot;
    this.#timeoutMs = options.timeoutMs;
    this.#inbox = createInbox();
    this.#subscription = nc.subscribe(`${this.#inbox}.*`, { callback: (_err, msg) => this.#onAck(msg) });
    this.#sweeper = setInterval(() => this.#expire(), Math.min(250, options.timeoutMs)).unref();
  }

  append(event: InfrastructureEvent, data: Uint8Array, expect: AppendExpectation): Promise<AppendOutcome> {
    const subject = subjectFor(event.event_type, this.#subjectRoot);
    const h = eventHeaders(event);
    h.set(PubHeaders.ExpectedStreamHdr, this.#stream);
    h.set(PubHeaders.ExpectedLastSeqHdr, String(expect.lastSequence));
    if (expect.lastEventId !== undefined) h.set(PubHeaders.ExpectedLastMsgIdHdr, expect.lastEventId);
    const token = (++this.#next).toString(36);
    return new Promise((resolve) => {
      this.#waiting.set(token, { subject, deadline: Date.now() + this.#timeoutMs, resolve });
      try {
        this.#nc.publish(subject, data, { headers: h, reply: `${this.#inbox}.${token}` });
      } catch (e) {
        this.#waiting.delete(token);
        resolve({
          ok: false,
          reason: 'failed',
          message: `appending to ${subject} failed: ${(e as Error).message}`,
        });
      }
    });
  }

  close(): void {
    clearInterval(this.#sweeper);
    this.#subscription.unsubscribe();
    for (const [token, w] of this.#waiting) {
      this.#waiting.delete(token);
      w.resolve({
        ok: false,
        reason: 'failed',
        message: `appending to ${w.subject} failed: the appender closed`,
      });
    }
  }

  #onAck(msg: Msg): void {
    const token = msg.subject.slice(this.#inbox.length + 1);
    const w = this.#waiting.get(token);
    if (!w) return; // expired already
    this.#waiting.delete(token);
    w.resolve(this.#outcome(w.subject, msg));
  }

  #outcome(subject: string, msg: Msg): AppendOutcome {
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      return {
        ok: false,
        reason: 'failed',
        message: `no stream captures ${subject}: is stream ${this.#stream} set up with subjects ${this.#subjectRoot}.>?`,
      };
    }
    let ack: PubAckBody;
    try {
      ack = JSON.parse(decoder.decode(msg.data)) as PubAckBody;
    } catch {
      return {
        ok: false,
        reason: 'failed',
        message: `appending to ${subject}: unreadable ack '${decoder.decode(msg.data)}'`,
      };
    }
    if (ack.error) {
      const message = `${ack.error.description ?? 'error'} (${ack.error.err_code ?? ack.error.code})`;
      if (CONFLICT_CODES.has(ack.error.err_code ?? 0)) {
        // Every server version words it "wrong last sequence: {seq}"; saves a stream-info request.
        const last = /wrong last sequence: (\d+)/.exec(ack.error.description ?? '')?.[1];
        return {
          ok: false,
          reason: 'conflict',
          message,
          ...(last !== undefined && { lastSequence: Number(last) }),
        };
      }
      return { ok: false, reason: 'failed', message: `appending to ${subject} failed: ${message}` };
    }
    if (typeof ack.seq !== 'number') {
      return { ok: false, reason: 'failed', message: `appending to ${subject}: ack without a sequence` };
    }
    return { ok: true, sequence: ack.seq, duplicate: ack.duplicate === true };
  }

  #expire(): void {
    const now = Date.now();
    for (const [token, w] of this.#waiting) {
      if (w.deadline > now) continue;
      this.#waiting.delete(token);
      w.resolve({
        ok: false,
        reason: 'failed',
        message: `no ack for ${w.subject} within ${this.#timeoutMs} ms`,
      });
    }
  }
}
