import { encodeEvent, type InfrastructureEvent, subjectFor } from '@cim/contract';
import { PubHeaders } from '@nats-io/jetstream';
import { createInbox, type Msg, type Subscription } from '@nats-io/nats-core';
import { appendFailed, assertEvent } from './append-event.js';
import { EventStoreError } from './errors.js';
import { eventHeaders } from './event-headers.js';
import type { StoreContext } from './store-context.js';

/** Where a bulk append stands. */
export interface AppendProgress {
  /** Events sent so far. */
  submitted: number;
  /** Events the server acknowledged: appended + duplicates. */
  acked: number;
  appended: number;
  /** Events the server already had (same event_id within the dedup window). */
  duplicates: number;
  /** Highest stream sequence acknowledged so far (0 before the first ack). */
  lastSequence: number;
}

interface PubAckBody {
  stream?: string;
  seq?: number;
  duplicate?: boolean;
  error?: { code?: number; err_code?: number; description?: string };
}

const decoder = new TextDecoder();

/**
 * The acks of one bulk append: publishes carry reply subjects `{inbox}.{n}` on one subscription, so no
 * promise or timer is made per event; a watchdog fails the append when acks stop coming.
 */
export class AckWindow {
  readonly progress: AppendProgress = { submitted: 0, acked: 0, appended: 0, duplicates: 0, lastSequence: 0 };
  firstSequence: number | undefined;
  failure: EventStoreError | undefined;
  #settled = 0;
  #lastAckAt = Date.now();
  #waiter: (() => void) | undefined;
  readonly #subjects = new Map<number, string>();
  readonly #inbox: string;
  readonly #sub: Subscription;
  readonly #watchdog: ReturnType<typeof setInterval>;

  constructor(
    private readonly ctx: StoreContext,
    private readonly options: {
      inFlight: number;
      ackTimeoutMs: number;
      every: number;
      onProgress?: (p: AppendProgress) => void;
    },
  ) {
    // Same inbox prefix as the connection's own requests (permissions may allow only that one).
    this.#inbox = createInbox((ctx.nc as { options?: { inboxPrefix?: string } }).options?.inboxPrefix);
    this.#sub = ctx.nc.subscribe(`${this.#inbox}.*`, {
      callback: (err, msg) =>
        err
          ? this.fail(
              new EventStoreError('APPEND_FAILED', `ack subscription failed: ${err.message}`, { cause: err }),
            )
          : this.#onAck(msg),
    });
    this.#watchdog = setInterval(
      () => this.#checkAcksFlow(),
      Math.min(1_000, Math.ceil(options.ackTimeoutMs / 2)),
    );
  }

  get inFlight(): number {
    return this.progress.submitted - this.#settled;
  }

  hasRoom(): boolean {
    return this.inFlight < this.options.inFlight;
  }

  fail(e: EventStoreError): void {
    this.failure ??= e;
    this.#wake();
  }

  /** Publishes one event; throws `INVALID_EVENT` for what is not an event of the catalog. */
  submit(event: InfrastructureEvent): void {
    assertEvent(event);
    const subject = subjectFor(event.event_type, this.ctx.subjectRoot);
    const headers = eventHeaders(event);
    headers.set(PubHeaders.ExpectedStreamHdr, this.ctx.stream);
    const token = this.progress.submitted;
    if (this.inFlight === 0) this.#lastAckAt = Date.now();
    this.#subjects.set(token, subject);
    this.ctx.nc.publish(subject, encodeEvent(event), { reply: `${this.#inbox}.${token}`, headers });
    this.progress.submitted++;
  }

  /** Resolves once `ready()` holds or the append failed. */
  async until(ready: () => boolean): Promise<void> {
    while (!this.failure && !ready()) await this.#nextAck();
  }

  /** After a failure: lets the acks of what was sent arrive (while they keep coming), for a true count. */
  async drain(): Promise<void> {
    const { ackTimeoutMs } = this.options;
    while (this.inFlight > 0 && !this.ctx.nc.isClosed() && Date.now() - this.#lastAckAt <= ackTimeoutMs) {
      await this.#nextAck();
    }
  }

  close(): void {
    clearInterval(this.#watchdog);
    this.#sub.unsubscribe();
  }

  #nextAck(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#waiter = resolve;
    });
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.();
  }

  #checkAcksFlow(): void {
    if (this.inFlight > 0 && Date.now() - this.#lastAckAt > this.options.ackTimeoutMs) {
      const subject = this.#subjects.values().next().value ?? 'events';
      this.fail(
        appendFailed(this.ctx, subject, Object.assign(new Error('timeout'), { name: 'TimeoutError' })),
      );
    }
  }

  #onAck(msg: Msg): void {
    const token = Number(msg.subject.slice(this.#inbox.length + 1));
    const subject = this.#subjects.get(token) ?? 'an event subject';
    this.#subjects.delete(token);
    this.#settled++;
    this.#lastAckAt = Date.now();
    if (msg.headers?.code === 503) {
      const noStream = Object.assign(new Error('no responders'), { name: 'JetStreamNotEnabled' });
      this.fail(appendFailed(this.ctx, subject, noStream));
      return;
    }
    const ack = parseAck(msg.data);
    if (ack.error || typeof ack.seq !== 'number') {
      const { description = 'invalid ack', err_code = '?' } = ack.error ?? {};
      this.fail(
        new EventStoreError('APPEND_FAILED', `server rejected ${subject}: ${description} (${err_code})`),
      );
      return;
    }
    const p = this.progress;
    p.acked++;
    if (ack.duplicate) p.duplicates++;
    else {
      p.appended++;
      this.firstSequence = Math.min(this.firstSequence ?? ack.seq, ack.seq);
    }
    p.lastSequence = Math.max(p.lastSequence, ack.seq);
    if (p.acked % this.options.every === 0) this.options.onProgress?.({ ...p });
    this.#wake();
  }
}

const parseAck = (data: Uint8Array): PubAckBody => {
  try {
    return JSON.parse(decoder.decode(data)) as PubAckBody;
  } catch {
    return {};
  }
};
