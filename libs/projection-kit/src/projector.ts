import { allEventsSubject, DEFAULT_SUBJECT_ROOT, decodeEvent } from '@cim/contract';
import {
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Registry } from 'prom-client';
import type { PrefoldedBatch, ProjectionAdapter, StreamEvent } from './adapter.js';
import { applyBatch, type RawStreamMessage, streamEventOf } from './apply-batch.js';
import { backoffDelay, sleep } from './backoff.js';
import { reconcileConsumer } from './consumer.js';
import { type DeadLetter, type DeadLetterOptions, DeadLetterQueue } from './dead-letter.js';
import { replayDeadLetters } from './dead-letter-replay.js';
import { type Delivery, parseDelivery } from './delivery.js';
import { CheckpointMovedError, isTransientError, ProjectionError } from './errors.js';
import { type Logger, silentLogger } from './logger.js';
import { createProjectorMetrics, type ProjectorMetrics, setStateMetric } from './metrics.js';
import { ProgressTracker } from './progress.js';
import { DEFAULT_MAX_BATCH } from './projector-env.js';
import { type ProjectorState, type ProjectorStatus, RateMeter } from './status.js';

/**
 * The delivery of `m`, read from its reply subject. `reply` is a getter of nats.js' message class but
 * not of the `JsMsg` type; without it, or for a subject ours does not read, nats.js' own parser (and
 * its error) serves. The integration tests fail if the fast path stops being taken.
 */
const deliveryOf = (m: JsMsg): Delivery => {
  const reply = (m as { reply?: unknown }).reply;
  const parsed = typeof reply === 'string' ? parseDelivery(reply) : undefined;
  if (parsed) return parsed;
  const { streamSequence, timestampNanos, pending } = m.info;
  return { streamSequence, timestampMs: Math.floor(timestampNanos / 1e6), pending };
};

/** A batch being gathered or waiting to commit. */
interface Gathered {
  /** The newest message: with AckPolicy.All it acknowledges the batch. */
  last: JsMsg;
  raw: RawStreamMessage[];
  /** Its fold on arrival (adapters with `prefold`); null once a message could not be folded. */
  fold?: PrefoldedBatch | null;
}

/**
 * Decodes a message as it arrives and, when its batch is folded on arrival, folds it. A folded
 * message keeps only its bytes (they stay outside V8's heap), a message decoded but not folded only
 * its decoded event: its bytes are a view into nats.js' socket reads that would keep whole reads
 * alive while its batch waits (1M-event replay: -7 MB peak RSS); a dead letter reads them back from
 * the stream.
 */
const toRaw = (m: JsMsg, delivery: Delivery, batch: Gathered): RawStreamMessage => {
  // nats.js' data getter makes a new view of the bytes at every call.
  const data = m.data;
  const decoded = decodeEvent(data);
  const sequence = delivery.streamSequence;
  const subject = m.subject;
  const timestamp = new Date(delivery.timestampMs);
  if (!decoded.ok) {
    // A batch with a poison event goes through project(), which parks it.
    if (batch.fold) batch.fold = null;
    return { sequence, subject, timestamp, data, decoded };
  }
  if (batch.fold && foldInto(batch, { sequence, subject, timestamp, event: decoded.event }))
    return { sequence, subject, timestamp, data, folded: true };
  return { sequence, subject, timestamp, decoded };
};

/** Adds an event to its batch's fold; false (the fold abandoned) if the adapter's fold throws. */
const foldInto = (batch: Gathered, event: StreamEvent): boolean => {
  try {
    batch.fold!.add(event);
    return true;
  } catch {
    // project() meets the failure again and handles it as it should (retries, poison).
    batch.fold = null;
    return false;
  }
};

/** Consumer notifications after which the session is restarted (and the consumer recreated). */
const CONSUMER_TROUBLE = new Set(['consumer_deleted', 'consumer_not_found', 'heartbeats_missed']);

/** @default 'INFRASTRUCTURE_EVENTS' */
export const DEFAULT_EVENT_STREAM = 'INFRASTRUCTURE_EVENTS';

export interface ProjectorOptions {
  adapter: ProjectionAdapter<never> | ProjectionAdapter<unknown>;
  nc: NatsConnection;
  /** @default DEFAULT_EVENT_STREAM */
  stream?: string;
  /** @default 'infrastructure' */
  subjectRoot?: string;
  /** Largest batch applied in one unit of work (catch-up); live batches are whatever is pending. @default DEFAULT_MAX_BATCH */
  maxBatch?: number;
  /** Attempts per event before a handler failure is poison. @default 3 */
  maxAttempts?: number;
  /** Halt at the first poison event instead of dead-lettering it. @default false */
  haltOnPoison?: boolean;
  /** @default 60_000 */
  ackWaitMs?: number;
  dlq?: DeadLetterOptions;
  /** The app's registry; the kit registers the shared projector metrics on it. */
  registry?: Registry;
  /** Bound to the projector's name by the app (`logger.child({ projector })`). */
  logger?: Logger;
}

type Adapter = ProjectionAdapter<unknown>;

/**
 * Runs one projection: a durable pull consumer named after the adapter, batched delivery, checkpoint
 * reconciliation, poison handling, outage retry, pause/resume and rebuild. Create with
 * {@link Projector.start}; stop with {@link Projector.stop}.
 */
export class Projector {
  readonly name: string;
  readonly stream: string;
  readonly dlq: DeadLetterQueue;
  readonly metrics: ProjectorMetrics;
  private readonly adapter: Adapter;
  private readonly log: Logger;
  private readonly filterSubject: string;
  private readonly maxBatch: number;
  private state: ProjectorState = 'starting';
  private health: 'ok' | 'degraded' = 'ok';
  private checkpoint = 0;
  private lastAppliedAt: Date | null = null;
  private pending = 0;
  private applied = 0;
  private deadLettered = 0;
  private lastError: { message: string; at: string } | null = null;
  private readonly rate = new RateMeter();
  private rebuildProgress: ProgressTracker | null = null;
  /** The adapter has not yet heard `caughtUp` since the start or the last reset. */
  private catchingUp = true;
  private messages: ConsumerMessages | null = null;
  private session: Promise<void> | null = null;
  private wake: () => void = () => {};
  private loopDone: Promise<void> = Promise.resolve();
  private readonly startedAt = new Date().toISOString();
  private readonly stopping = new AbortController();
  private lastProgressAt = Date.now();
  private readonly commitListeners = new Set<(checkpoint: number) => void>();
  /** Refreshes the lag gauges while nothing commits (status() reads the stream's last sequence). */
  private lagTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly options: ProjectorOptions,
    private readonly jsm: JetStreamManager,
    private readonly js: JetStreamClient,
  ) {
    this.adapter = options.adapter as Adapter;
    this.name = options.adapter.name;
    this.stream = options.stream ?? DEFAULT_EVENT_STREAM;
    this.filterSubject = allEventsSubject(options.subjectRoot ?? DEFAULT_SUBJECT_ROOT);
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    // Apps bind the projector name on their logger (CONVENTIONS); binding it again would log it twice.
    this.log = options.logger ?? silentLogger;
    this.dlq = new DeadLetterQueue(jsm, js, options.dlq);
    this.metrics = createProjectorMetrics(options.registry ?? new Registry());
  }

  /** Initialises the adapter, reconciles the consumer with the store's checkpoint and starts consuming. */
  static async start(options: ProjectorOptions): Promise<Projector> {
    const jsm = await jetstreamManager(options.nc);
    const projector = new Projector(options, jsm, jetstream(options.nc));
    await projector.init();
    return projector;
  }

  private async init(): Promise<void> {
    await this.adapter.initialize();
    await this.dlq.ensure();
    this.checkpoint = await this.adapter.readCheckpoint();
    this.deadLettered = await this.dlq.count(this.name);
    this.setState('running');
    // Every series exists from the start, so rate()/increase() see the first change too.
    const labels = { projector: this.name };
    this.metrics.rebuildProgress.set(labels, 1);
    this.metrics.checkpoint.set(labels, this.checkpoint);
    this.metrics.eventsApplied.inc(labels, 0);
    this.metrics.deadLettered.inc(labels, 0);
    this.metrics.storeHealthy.set(labels, 1);
    this.lagTimer = setInterval(() => void this.status().catch(() => {}), 5_000).unref();
    this.loopDone = this.loop();
  }

  private setState(state: ProjectorState): void {
    this.state = state;
    setStateMetric(this.metrics, this.name, state);
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      if (this.state === 'paused' || this.state === 'halted') {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        continue;
      }
      try {
        this.session = this.consume();
        await this.session;
        failures = 0;
      } catch (error) {
        failures++;
        this.recordError(error);
        this.log.warn({ err: error, attempt: failures }, 'consumption interrupted; retrying');
        await sleep(backoffDelay(failures, { initialMs: 200, maxMs: 5_000 }), this.stopping.signal);
      } finally {
        this.session = null;
      }
    }
  }

  /** One consumption session: reconcile, consume until interrupted (pause, rebuild, stop) or failed. */
  private async consume(): Promise<void> {
    const reconciled = await reconcileConsumer(
      this.jsm,
      {
        stream: this.stream,
        name: this.name,
        filterSubject: this.filterSubject,
        // Unacknowledged = the batch committing + the one being gathered. Two batches keep a commit
        // and the next batch's decoding overlapping and bound the messages alive at each
        // young-generation GC: 300k-event replays, vs four batches: same rate, RSS -10 to -25 MB,
        // scavenge time -10% (one batch: -15% events/s, nothing to decode during a commit).
        maxAckPending: this.maxBatch * 2,
        ackWaitMs: this.options.ackWaitMs ?? 60_000,
      },
      this.checkpoint,
    );
    if (reconciled.recreated)
      this.log.info({ checkpoint: this.checkpoint }, 'consumer positioned after checkpoint');
    this.pending = reconciled.info.num_pending;
    if (this.owesCaughtUp) await this.signalCaughtUp();
    const consumer = await this.js.consumers.get(this.stream, this.name);
    // One batch commits while the next is received and decoded: decoding (CPU) overlaps the store's
    // transaction (I/O). Commits run one at a time, in order, so checkpoints never interleave; what
    // arrives during a commit is committed next as one batch (group commit), so a live trickle costs
    // one transaction per commit time, not one per event.
    // Batches gathered and not yet committing, oldest first: full ones wait for the commit in flight
    // (max-ack-pending, two batches, bounds them), the newest may still grow. Only the newest message
    // of a batch is kept: with AckPolicy.All it acknowledges the batch.
    const gathered: Gathered[] = [];
    /** The fold of the batch committing, which the next batch's fold is opened on. */
    let committingFold: PrefoldedBatch | null | undefined;
    let highest = this.checkpoint;
    let caughtUp = false; // the newest message said nothing more is pending
    let inflight: Promise<void> | undefined;
    let ended = false;
    let failure: unknown;
    let messages: ConsumerMessages | undefined;
    const end = (): void => {
      ended = true;
      messages?.stop();
    };
    /** Commits the oldest gathered batch once it is full, or at once when caught up (live). */
    const flush = (): void => {
      const batch = gathered[0];
      if (inflight || ended || !batch || (batch.raw.length < this.maxBatch && !caughtUp)) return;
      gathered.shift();
      committingFold = batch.fold;
      // A commit that stops the session (halt, pause, stop, failure) ends the wait for messages.
      inflight = this.commitBatch(batch.last, batch.raw, batch.fold ?? undefined).then(
        ({ go, prefolded }) => {
          inflight = undefined;
          committingFold = undefined;
          if (batch.fold !== undefined) {
            const outcome = prefolded ? 'written' : 'projected';
            this.metrics.prefoldedBatches.inc({ projector: this.name, outcome });
          }
          // The folds opened on this batch's fold are void when it was not written with it.
          if (go && batch.fold !== undefined && !prefolded) refold();
          if (go) flush();
          else end();
        },
        (error: unknown) => {
          inflight = undefined;
          failure = error;
          end();
        },
      );
    };
    /** Opens a fold for a new batch on the batch before it, if that one is not committed yet. */
    const openFold = (): PrefoldedBatch | null | undefined => {
      const prefold = this.adapter.prefold;
      if (!prefold) return undefined;
      const before = gathered.length > 0 ? gathered[gathered.length - 1]!.fold : committingFold;
      // A batch opened on one whose fold was abandoned could not use its own.
      return before === null ? null : prefold.open(before);
    };
    /** Folds the gathered batches again, in order, on what the store now holds. */
    const refold = (): void => {
      committingFold = undefined;
      const folding = [...gathered];
      gathered.length = 0;
      for (const batch of folding) {
        batch.fold = openFold();
        for (const [i, m] of batch.raw.entries()) {
          if (!batch.fold) break;
          const decoded = m.decoded ?? decodeEvent(m.data!);
          if (!decoded.ok) batch.fold = null;
          else if (foldInto(batch, streamEventOf(m, decoded.event))) batch.raw[i] = { ...m, folded: true };
        }
        gathered.push(batch);
      }
    };
    const receive = (m: JsMsg): void => {
      if (ended) return;
      const delivery = deliveryOf(m);
      if (delivery.streamSequence <= highest) {
        // A redelivery of a message in hand or applied. Acknowledge what is committed: an ack the
        // server lost (it restarted before storing it) otherwise comes back every ack_wait and holds
        // a max-ack-pending slot until a later ack covers it.
        if (delivery.streamSequence <= this.checkpoint) m.ack();
        return;
      }
      highest = delivery.streamSequence;
      caughtUp = delivery.pending === 0;
      let open = gathered[gathered.length - 1];
      if (!open || open.raw.length >= this.maxBatch) {
        open = { last: m, raw: [], fold: openFold() };
        gathered.push(open);
      }
      open.last = m;
      open.raw.push(toRaw(m, delivery, open));
      flush();
    };
    // Messages come to a callback, not an async iterator: the iterator's promise per message cost a
    // quarter of nats.js' consume rate (2.2 vs 3.0 s CPU for 300k events, JSON.parse included).
    // nats.js calls it as it parses each read from the socket; the store's replies wait at most for
    // the reads of one event-loop turn (libuv reads a socket up to 32 times in a row), which
    // max-ack-pending bounds to one batch. Measured against the iterator with its yields to I/O
    // every 128 messages: SQL and conceptual-space rebuilds as fast or faster.
    messages = await consumer.consume({
      max_messages: this.maxBatch * 2,
      callback: (m) => {
        try {
          receive(m);
        } catch (error) {
          failure = error;
          end();
        }
      },
    });
    this.messages = messages;
    if (this.state !== 'running' && this.state !== 'rebuilding') messages.stop();
    const trouble = this.watchConsumer(messages);
    let closedWith: Error | undefined;
    try {
      closedWith = (await messages.closed()) ?? undefined;
    } finally {
      // The commit in flight finishes (and may chain the next one) before the session ends.
      while (inflight) await inflight;
      this.messages = null;
      messages.stop();
      trouble.stop();
    }
    if (failure !== undefined) throw failure;
    // Ending because the consumer went away or heartbeats stopped is a failure: back off, then
    // reconcile, which recreates the consumer after the checkpoint.
    if (trouble.reason) throw new ProjectionError('CONSUMER_SETUP_FAILED', trouble.reason);
    // nats.js ended the consumption itself (the connection closed, a pull failed).
    if (closedWith) throw closedWith;
  }

  /**
   * Ends the session when the server reports the consumer gone or heartbeats missed (a failure), or
   * when the connection comes back: a restarted server may have lost the last acks, and the
   * acknowledgements it still waits for count against max-ack-pending, which would stall delivery
   * until they time out. The next session reconciles the consumer with the store's checkpoint.
   */
  private watchConsumer(messages: ConsumerMessages): { reason?: string; stop(): void } {
    const connection = this.options.nc.status() as AsyncIterable<{ type: string }> & { stop?(): void };
    const trouble = { reason: undefined as string | undefined, stop: () => connection.stop?.() };
    (async () => {
      for await (const s of connection) {
        if (s.type === 'reconnect') {
          this.log.info({}, 'NATS connection restored; re-positioning the consumer after the checkpoint');
          messages.stop();
          return;
        }
      }
    })().catch(() => {});
    (async () => {
      for await (const s of messages.status()) {
        if (CONSUMER_TROUBLE.has(s.type)) {
          trouble.reason = `consumer ${this.name}: ${s.type}`;
          this.log.warn({ status: s.type }, 'consumer trouble; recreating it');
          messages.stop();
          return;
        }
      }
    })().catch(() => {});
    return trouble;
  }

  /**
   * Applies and acknowledges a batch: `go` false when consumption must stop (halted or stopping),
   * `prefolded` true when the batch was written with its fold on arrival.
   */
  private async commitBatch(
    last: JsMsg,
    raw: RawStreamMessage[],
    prefolded: PrefoldedBatch | undefined,
  ): Promise<{ go: boolean; prefolded: boolean }> {
    const end = this.metrics.batches.startTimer({ projector: this.name });
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await applyBatch(this.adapter, raw, this.checkpoint, {
          maxAttempts: this.options.maxAttempts ?? 3,
          haltOnPoison: this.options.haltOnPoison ?? false,
          deadLetter: (letter) => this.park(letter),
          storedBytes: this.storedBytes,
          prefolded,
        });
        const done = (go: boolean) => ({ go, prefolded: result.prefolded === true });
        end();
        this.markHealthy();
        this.advance(result.checkpoint, result.applied, raw);
        if (result.halted) {
          this.recordError(
            new Error(`halted at poison event ${result.poison.sequence}: ${result.poison.reason}`),
          );
          this.setState('halted');
          return done(false);
        }
        last.ack();
        this.pending = deliveryOf(last).pending;
        this.metrics.lagEvents.set({ projector: this.name }, this.pending);
        if (this.pending === 0) this.metrics.lagSeconds.set({ projector: this.name }, 0);
        // Before the commit listeners: a progress notice at the head means the model is ready
        // (a rebuilt shadow swapped in, deferred work done).
        await this.finishRebuildIfCaughtUp();
        // Checked here, not in the call: a live commit should not pay an await for nothing.
        if (this.owesCaughtUp) await this.signalCaughtUp();
        for (const listener of this.commitListeners) listener(result.checkpoint);
        return done(!this.stopping.signal.aborted && this.state !== 'paused');
      } catch (error) {
        if (error instanceof CheckpointMovedError) {
          // End the session unacknowledged; the next one reconciles the consumer with the store.
          this.log.warn(
            { expected: error.expected, stored: error.stored },
            'store checkpoint moved; re-positioning',
          );
          this.recordError(error);
          this.checkpoint = error.stored;
          return { go: false, prefolded: false };
        }
        if (!isTransientError(error)) throw error;
        this.health = 'degraded';
        this.metrics.storeHealthy.set({ projector: this.name }, 0);
        this.recordError(error);
        if (attempt % 10 === 0)
          this.log.warn({ err: error, attempt }, 'store unavailable; batch kept, retrying');
        last.working();
        await sleep(backoffDelay(attempt, { initialMs: 100, maxMs: 5_000 }), this.stopping.signal);
        // Paused or stopping: leave the batch unacknowledged; it is redelivered after reconciliation.
        if (this.stopping.signal.aborted || this.state === 'paused') return { go: false, prefolded: false };
      }
    }
  }

  /** The bytes the stream holds at `seq`: what a dead letter of a decoded message carries. */
  private readonly storedBytes = async (seq: number): Promise<Uint8Array> => {
    const stored = await this.jsm.streams.getMessage(this.stream, { seq });
    if (!stored) throw new Error(`sequence ${seq} is no longer in ${this.stream}`);
    return stored.data;
  };

  private async park(letter: DeadLetter): Promise<void> {
    await this.dlq.put(letter);
    this.deadLettered++;
    this.metrics.deadLettered.inc({ projector: this.name });
    this.log.warn(
      { sequence: letter.sequence, subject: letter.subject, code: letter.code, reason: letter.reason },
      'poison event dead-lettered',
    );
  }

  private markHealthy(): void {
    if (this.health !== 'ok') this.log.info({}, 'store available again');
    this.health = 'ok';
    this.metrics.storeHealthy.set({ projector: this.name }, 1);
  }

  private advance(checkpoint: number, applied: number, raw: RawStreamMessage[]): void {
    this.checkpoint = checkpoint;
    this.applied += applied;
    this.lastAppliedAt = raw[raw.length - 1]!.timestamp;
    this.lastProgressAt = Date.now();
    this.rate.mark(raw.length);
    this.rebuildProgress?.update(checkpoint);
    const labels = { projector: this.name };
    this.metrics.eventsApplied.inc(labels, applied);
    this.metrics.checkpoint.set(labels, checkpoint);
    if (this.rebuildProgress) this.metrics.rebuildProgress.set(labels, this.rebuildProgress.ratio());
  }

  private recordError(error: unknown): void {
    this.lastError = {
      message: error instanceof Error ? error.message : String(error),
      at: new Date().toISOString(),
    };
  }

  /** At the stream's head with the adapter not yet told so since the start or a reset. */
  private get owesCaughtUp(): boolean {
    return this.catchingUp && this.pending === 0;
  }

  /** Tells the adapter, once per catch-up, that the store is as current as the stream; callers check {@link owesCaughtUp}. */
  private async signalCaughtUp(): Promise<void> {
    const started = performance.now();
    try {
      await this.adapter.caughtUp?.();
      this.catchingUp = false;
      this.log.info(
        { checkpoint: this.checkpoint, seconds: (performance.now() - started) / 1000 },
        'caught up with the stream',
      );
    } catch (error) {
      // The batch is committed; the adapter's deferred work waits for the next catch-up.
      this.recordError(error);
      this.log.warn({ err: error }, 'adapter work on catching up failed; retrying at the next commit');
    }
  }

  private async finishRebuildIfCaughtUp(): Promise<void> {
    const progress = this.rebuildProgress;
    if (!progress || this.checkpoint < progress.target) return;
    if (progress.shadow) await this.adapter.shadow?.swap();
    this.log.info({ checkpoint: this.checkpoint, seconds: progress.elapsedSeconds() }, 'rebuild complete');
    this.rebuildProgress = null;
    this.metrics.rebuildProgress.set({ projector: this.name }, 1);
    if (this.state === 'rebuilding') this.setState('running');
  }

  /** Interrupts the current consumption session and waits until the loop is idle. */
  private async interrupt(next: ProjectorState): Promise<void> {
    this.setState(next);
    this.messages?.stop();
    // The session observes the new state once its batch in hand is committed; wait for that.
    await this.session?.catch(() => {});
  }

  /** Calls `listener` with the new checkpoint after every committed batch; returns an unsubscribe. */
  onCommit(listener: (checkpoint: number) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** Stops consuming after the batch in hand. Reads keep being served. */
  async pause(): Promise<ProjectorStatus> {
    if (this.state === 'stopped') throw new ProjectionError('NOT_RUNNING', `${this.name} is stopped`);
    if (this.state === 'rebuilding')
      throw new ProjectionError('REBUILD_IN_PROGRESS', 'cannot pause during a rebuild');
    await this.interrupt('paused');
    return this.status();
  }

  /** Resumes consumption (also after a halt: the halting event is retried). */
  async resume(): Promise<ProjectorStatus> {
    if (this.state === 'paused' || this.state === 'halted') {
      this.setState(this.rebuildProgress ? 'rebuilding' : 'running');
      this.wake();
    }
    return this.status();
  }

  /**
   * Rebuilds the read model by replay from sequence 1 while other projectors keep running. With a
   * shadow-capable adapter the live model keeps serving until the shadow catches up and is swapped in.
   */
  async rebuild(options: { shadow?: boolean } = {}): Promise<ProjectorStatus> {
    if (this.rebuildProgress)
      throw new ProjectionError('REBUILD_IN_PROGRESS', `${this.name} is already rebuilding`);
    if (this.state === 'stopped') throw new ProjectionError('NOT_RUNNING', `${this.name} is stopped`);
    const shadow = (options.shadow ?? true) && this.adapter.shadow !== undefined;
    await this.interrupt('paused');
    const info = await this.jsm.streams.info(this.stream);
    if (shadow) await this.adapter.shadow!.begin();
    else await this.adapter.reset();
    this.catchingUp = true;
    this.checkpoint = await this.adapter.readCheckpoint();
    this.rebuildProgress = new ProgressTracker(info.state.last_seq, shadow, this.checkpoint);
    this.metrics.rebuildProgress.set({ projector: this.name }, 0);
    this.log.info({ target: info.state.last_seq, shadow }, 'rebuild started');
    this.setState('rebuilding');
    if (info.state.last_seq <= this.checkpoint) await this.finishRebuildIfCaughtUp();
    this.wake();
    return this.status();
  }

  /** Re-applies parked events (after the cause was fixed); those that still fail stay parked. */
  async replayDeadLetters(): Promise<{ replayed: number; remaining: number }> {
    const wasRunning = this.state === 'running';
    if (wasRunning) await this.interrupt('paused');
    try {
      const result = await replayDeadLetters(this.adapter, this.dlq, this.checkpoint);
      this.deadLettered = result.remaining;
      return result;
    } finally {
      if (wasRunning) await this.resume();
    }
  }

  async status(): Promise<ProjectorStatus> {
    let last = this.checkpoint + this.pending;
    let lagSeconds = 0;
    try {
      const info = await this.jsm.streams.info(this.stream);
      last = info.state.last_seq;
      const newest = new Date(info.state.last_ts).getTime();
      if (last > this.checkpoint && this.lastAppliedAt)
        lagSeconds = Math.max(0, (newest - this.lastAppliedAt.getTime()) / 1000);
      else if (last > this.checkpoint)
        lagSeconds = Math.max(0, (Date.now() - new Date(info.state.first_ts).getTime()) / 1000);
    } catch (error) {
      this.recordError(error);
    }
    const lag = Math.max(0, last - this.checkpoint);
    const labels = { projector: this.name };
    this.metrics.lagEvents.set(labels, lag);
    this.metrics.lagSeconds.set(labels, lagSeconds);
    return {
      name: this.name,
      state: this.state,
      health: this.health,
      checkpoint: this.checkpoint,
      stream_last_sequence: last,
      lag_events: lag,
      lag_seconds: lagSeconds,
      rate_per_second: Math.round(this.rate.value()),
      events_applied: this.applied,
      dead_lettered: this.deadLettered,
      rebuild: this.rebuildProgress?.snapshot() ?? null,
      last_error: this.lastError,
      started_at: this.startedAt,
    };
  }

  /** Ready when serving and either caught up or making progress. */
  ready(staleAfterMs = 30_000): boolean {
    if (this.state === 'starting' || this.state === 'halted' || this.state === 'stopped') return false;
    if (this.state === 'paused') return true;
    return this.pending === 0 || Date.now() - this.lastProgressAt < staleAfterMs;
  }

  /** Alive: not stopped and connected to NATS. */
  alive(): boolean {
    return this.state !== 'stopped' && !this.options.nc.isClosed();
  }

  /** Finishes and commits the batch in hand, acknowledges it and stops. Does not close the connection. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.stopping.abort();
    clearInterval(this.lagTimer);
    this.setState('stopped');
    this.messages?.stop();
    this.wake();
    await this.loopDone;
    // An unfinished blue/green rebuild is dropped; the live model keeps serving after a restart.
    if (this.rebuildProgress?.shadow) await this.adapter.shadow?.abort().catch(() => {});
    await this.adapter.close?.();
  }
}
