import {
  type CommandReply,
  decodeEvent,
  encodeEvent,
  type InfrastructureEvent,
  type MessageIdentity,
} from '@cim/contract';
import type { Logger } from 'pino';
import type { Command } from './command.js';
import { eventIdFor } from './command-ids.js';
import { decide } from './decide.js';
import { Journal } from './journal.js';
import { RecentEvents } from './recent-events.js';
import type { AppendOutcome, EventAppender } from './stream-appender.js';
import type { WriteModel } from './write-model.js';

export type Reply = CommandReply<InfrastructureEvent>;

/** A validated command waiting for its decision. */
export interface PipelineJob {
  command: Command;
  commandId: string;
  identity: MessageIdentity;
  resolve(reply: Reply): void;
}

/** Default number of decided events whose appends may be in flight at once. */
export const DEFAULT_MAX_IN_FLIGHT = 64;
/** Default number of times a command is decided again after losing a race before VERSION_CONFLICT. */
export const DEFAULT_MAX_ATTEMPTS = 50;
/** Default time a command may spend losing races before VERSION_CONFLICT. */
export const DEFAULT_RETRY_BUDGET_MS = 3_000;
/** Longest random pause before deciding again after a lost race (it doubles per consecutive loss). */
export const MAX_BACKOFF_MS = 16;
/** Default time to wait for the live subscription to deliver what a catch-up needs. */
export const DEFAULT_CATCH_UP_TIMEOUT_MS = 5_000;

export interface AppendPipelineOptions {
  model: WriteModel;
  appender: EventAppender;
  /** The stream's last sequence, asked after a lost race to know how far to catch up. */
  lastSequence: () => Promise<number>;
  logger: Logger;
  /** Default {@link DEFAULT_MAX_IN_FLIGHT}. */
  maxInFlight?: number;
  /** Default {@link DEFAULT_MAX_ATTEMPTS}. */
  maxAttempts?: number;
  /** Default {@link DEFAULT_RETRY_BUDGET_MS}. */
  retryBudgetMs?: number;
  /** Default {@link DEFAULT_CATCH_UP_TIMEOUT_MS}. */
  catchUpTimeoutMs?: number;
  /** Events remembered by id for retried commands. Default {@link DEFAULT_RECENT_EVENTS}. */
  recentEvents?: number;
  /** Default `() => new Date()`. */
  clock?: () => Date;
}

interface Attempt {
  job: PipelineJob;
  attempts: number;
  /** Epoch ms after which a lost race ends in VERSION_CONFLICT. */
  deadline: number;
}

/** A decided event whose append is in flight; its state change is applied through `journal`. */
interface PendingAppend {
  kind: 'append';
  attempt: Attempt;
  event: InfrastructureEvent;
  data: Uint8Array;
  journal: Journal;
  /** The stream sequence this append expects to follow. */
  expectedSequence: number;
  /** `confirmed` by its ack or the subscription, or `doomed` by a rollback: a later ack is ignored. */
  state: 'in-flight' | 'confirmed' | 'doomed';
}

/** A rejection decided on state that includes unacknowledged events: replied once they are stored. */
interface PendingRejection {
  kind: 'reject';
  attempt: Attempt;
  reply: Reply;
}

type Pending = PendingAppend | PendingRejection;

/**
 * Decides commands one at a time against the write model and appends their events with optimistic
 * concurrency, pipelined.
 *
 * Each decided event is applied to the model at once (through an undo {@link Journal}) so the next
 * command is decided on top of it, and published without waiting for the previous ack, expecting
 * the stream's last sequence to be the one its predecessor will take and the last message to be
 * that predecessor (`Nats-Expected-Last-Msg-Id`). The stream therefore accepts a run of appends only
 * while nobody else writes in between. When an append loses the race (or the live subscription shows
 * a foreign event first), every event still in flight is rolled back, the model catches up from the
 * stream, and those commands are decided again after a random pause that grows with consecutive
 * losses (so competing instances take turns), until `maxAttempts` or `retryBudgetMs` runs out and the
 * reply is VERSION_CONFLICT.
 *
 * A rejection decided while appends are in flight depends on them, so it is replied only once they
 * are stored; if they are rolled back the command is decided again.
 */
export class AppendPipeline {
  readonly #model: WriteModel;
  readonly #appender: EventAppender;
  readonly #lastSequence: () => Promise<number>;
  readonly #logger: Logger;
  readonly #maxInFlight: number;
  readonly #maxAttempts: number;
  readonly #retryBudgetMs: number;
  readonly #catchUpTimeoutMs: number;
  readonly #clock: () => Date;
  readonly #recent: RecentEvents;

  #queue: Attempt[] = [];
  #pending: Pending[] = [];
  #inFlight = 0;
  /** Last stream sequence folded into the model and known to be stored. */
  #folded = 0;
  /** The sequence the next append expects to follow: #folded plus the appends in flight. */
  #tail = 0;
  /** Event id of the newest append in flight, if any. */
  #tailEventId: string | undefined;
  #catchingUp = false;
  /** Lost races since the last confirmed append; sets the backoff. */
  #losses = 0;
  #catchUpTarget: number | undefined;
  #catchUpTimer: NodeJS.Timeout | undefined;
  #waiters: Array<{ sequence: number; run: () => void }> = [];
  #idleWaiters: Array<() => void> = [];
  /** Counters for status and benchmarks. */
  readonly stats = {
    /** Appends acknowledged (or confirmed by the subscription). */
    appended: 0,
    /** Appends refused because the stream moved (expected sequence or last event id). */
    conflicts: 0,
    /** Times the in-flight appends were rolled back. */
    rollbacks: 0,
    /** Undecodable events skipped while folding. */
    poisonEvents: 0,
  };

  constructor(options: AppendPipelineOptions) {
    this.#model = options.model;
    this.#appender = options.appender;
    this.#lastSequence = options.lastSequence;
    this.#logger = options.logger;
    this.#maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.#maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.#retryBudgetMs = options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
    this.#catchUpTimeoutMs = options.catchUpTimeoutMs ?? DEFAULT_CATCH_UP_TIMEOUT_MS;
    this.#clock = options.clock ?? (() => new Date());
    this.#recent = new RecentEvents(options.recentEvents);
  }

  /** Last stream sequence the model has folded and knows to be stored. */
  get foldedSequence(): number {
    return this.#folded;
  }

  /** Queues a command; its reply comes through `job.resolve`. */
  submit(job: PipelineJob): void {
    this.#queue.push({ job, attempts: 0, deadline: Date.now() + this.#retryBudgetMs });
    this.#pump();
  }

  /** Resolves once no command is queued or in flight. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Folds one stored event, from the initial read or the live subscription, in stream order. Our own
   * appends confirm themselves; anything else rolls back what is in flight and is folded.
   */
  onStored(sequence: number, data: Uint8Array): void {
    if (sequence <= this.#folded) return;
    const head = this.#pending[0];
    if (head?.kind === 'append' && Buffer.compare(head.data, data) === 0) {
      this.#confirm(head, sequence, false);
      return;
    }
    if (this.#pending.length > 0) {
      // Another writer got in first: everything in flight will be refused.
      this.#rollback();
      this.#startCatchUp();
    }
    const decoded = decodeEvent(data);
    if (decoded.ok) {
      this.#model.apply(decoded.event);
      this.#recent.add(decoded.event);
    } else {
      this.stats.poisonEvents++;
      this.#logger.warn(
        { sequence, code: decoded.code, reason: decoded.reason },
        'skipped an undecodable event',
      );
    }
    this.#folded = sequence;
    this.#tail = sequence;
    this.#afterFold();
  }

  #pump(): void {
    while (this.#queue.length > 0 && !this.#catchingUp && this.#inFlight < this.#maxInFlight) {
      const attempt = this.#queue.shift()!;
      this.#decide(attempt);
    }
    this.#checkIdle();
  }

  #decide(attempt: Attempt): void {
    const { job } = attempt;
    const original = this.#recent.get(eventIdFor(job.commandId));
    if (original) {
      job.resolve({ ok: true, command_id: job.commandId, events: [original], duplicate: true });
      return;
    }
    const now = this.#clock().toISOString();
    let decision: ReturnType<typeof decide>;
    const journal = new Journal();
    try {
      decision = decide(this.#model, job.command, { commandId: job.commandId, identity: job.identity, now });
      if (decision.ok) this.#model.apply(decision.event, journal);
    } catch (err) {
      // A bug, not an outcome: answer this command and keep serving the others.
      journal.undo();
      this.#logger.error({ err, command_id: job.commandId }, 'deciding a command failed');
      job.resolve({
        ok: false,
        command_id: job.commandId,
        error: { code: 'UNAVAILABLE', message: 'internal error while deciding; see the service log' },
      });
      return;
    }
    if (!decision.ok) {
      const reply: Reply = { ok: false, command_id: job.commandId, error: decision.rejection };
      if (this.#pending.length === 0) job.resolve(reply);
      else this.#pending.push({ kind: 'reject', attempt, reply });
      return;
    }
    const { event } = decision;
    const item: PendingAppend = {
      kind: 'append',
      attempt,
      event,
      data: encodeEvent(event),
      journal,
      expectedSequence: this.#tail,
      state: 'in-flight',
    };
    const expect = { lastSequence: this.#tail, lastEventId: this.#tailEventId };
    this.#pending.push(item);
    this.#inFlight++;
    this.#tail++;
    this.#tailEventId = event.event_id;
    this.#appender.append(event, item.data, expect).then(
      (outcome) => this.#onAck(item, outcome),
      (e: unknown) => this.#onAck(item, { ok: false, reason: 'failed', message: String(e) }),
    );
  }

  #onAck(item: PendingAppend, outcome: AppendOutcome): void {
    if (item.state !== 'in-flight') return;
    // Acks arrive in publish order and the subscription confirms only the head, so this is the head.
    if (outcome.ok && (!outcome.duplicate || outcome.sequence === item.expectedSequence + 1)) {
      // A duplicate at exactly our position was appended after the same state by another instance.
      this.#confirm(item, outcome.sequence, outcome.duplicate);
      return;
    }
    const { job } = item.attempt;
    if (outcome.ok) {
      // Appended earlier (a retry that raced its first copy): reply with the stored original.
      this.#rollback(item);
      this.#whenFolded(outcome.sequence, () => {
        const original = this.#recent.get(item.event.event_id);
        job.resolve({
          ok: true,
          command_id: job.commandId,
          events: original ? [original] : [],
          duplicate: true,
        });
      });
      this.#startCatchUp();
      return;
    }
    if (outcome.reason === 'conflict') {
      this.stats.conflicts++;
      this.#rollback();
      this.#startCatchUp(outcome.lastSequence);
      return;
    }
    this.#logger.error({ command_id: job.commandId, err: outcome.message }, 'append failed');
    this.#rollback(item);
    job.resolve({
      ok: false,
      command_id: job.commandId,
      error: {
        code: 'UNAVAILABLE',
        message: `${outcome.message}; the event may or may not be stored: retry with the same command_id`,
      },
    });
    this.#pump();
  }

  #confirm(item: PendingAppend, sequence: number, duplicate: boolean): void {
    item.state = 'confirmed';
    this.stats.appended++;
    this.#losses = 0;
    this.#pending.shift();
    this.#inFlight--;
    this.#folded = sequence;
    this.#recent.add(item.event);
    const { job } = item.attempt;
    job.resolve({
      ok: true,
      command_id: job.commandId,
      events: [item.event],
      ...(duplicate && { duplicate }),
    });
    while (this.#pending[0]?.kind === 'reject') {
      const rejection = this.#pending.shift() as PendingRejection;
      rejection.attempt.job.resolve(rejection.reply);
    }
    if (this.#pending.length === 0) this.#tailEventId = undefined;
    this.#afterFold();
  }

  /** Undoes everything in flight, newest first, and queues those commands to be decided again. */
  #rollback(except?: PendingAppend): void {
    this.stats.rollbacks++;
    const items = this.#pending;
    this.#pending = [];
    for (let i = items.length - 1; i >= 0; i--) {
      const it = items[i]!;
      if (it.kind === 'append') {
        it.journal.undo();
        it.state = 'doomed';
      }
    }
    this.#inFlight = 0;
    this.#tail = this.#folded;
    this.#tailEventId = undefined;
    if (items.some((it) => it !== except)) this.#losses++;
    const retry: Attempt[] = [];
    const now = Date.now();
    for (const it of items) {
      if (it === except) continue;
      const attempts = it.attempt.attempts + 1;
      if (attempts < this.#maxAttempts && now < it.attempt.deadline) {
        retry.push({ ...it.attempt, attempts });
        continue;
      }
      const { job } = it.attempt;
      job.resolve({
        ok: false,
        command_id: job.commandId,
        error: {
          code: 'VERSION_CONFLICT',
          message: `the state changed under this command ${attempts} times (other writers are busy); retry with the same command_id`,
        },
      });
    }
    this.#queue.unshift(...retry);
  }

  /** Holds decisions until the model has folded the stream up to `known` or, if not given, its last sequence. */
  #startCatchUp(known?: number): void {
    if (this.#catchingUp) return;
    this.#catchingUp = true;
    this.#catchUpTarget = undefined;
    this.#catchUpTimer = setTimeout(() => {
      this.#logger.warn(
        { folded: this.#folded, target: this.#catchUpTarget },
        'catch-up timed out; deciding anyway',
      );
      this.#endCatchUp(true);
    }, this.#catchUpTimeoutMs).unref();
    if (known !== undefined) {
      this.#catchUpTarget = known;
      this.#afterFold();
      return;
    }
    this.#lastSequence().then(
      (last) => {
        this.#catchUpTarget = last;
        this.#afterFold();
      },
      (e: unknown) => {
        this.#logger.warn({ err: e }, 'cannot read the stream position to catch up; deciding anyway');
        this.#endCatchUp();
      },
    );
  }

  #endCatchUp(timedOut = false): void {
    if (!this.#catchingUp) return;
    clearTimeout(this.#catchUpTimer);
    this.#catchingUp = false;
    this.#catchUpTarget = undefined;
    if (timedOut) {
      // Replies waiting for an original that never arrived answer with what is known.
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w.run();
    }
    this.#pump();
  }

  #whenFolded(sequence: number, run: () => void): void {
    if (this.#folded >= sequence) run();
    else this.#waiters.push({ sequence, run });
  }

  #afterFold(): void {
    if (this.#waiters.length > 0) {
      const ready = this.#waiters.filter((w) => w.sequence <= this.#folded);
      this.#waiters = this.#waiters.filter((w) => w.sequence > this.#folded);
      for (const w of ready) w.run();
    }
    if (this.#catchingUp && this.#catchUpTarget !== undefined && this.#folded >= this.#catchUpTarget) {
      this.#catchUpTarget = undefined;
      // Caught up; a random pause, growing with consecutive losses, lets competing writers take turns.
      const backoff = Math.random() * Math.min(MAX_BACKOFF_MS, 2 ** this.#losses / 4);
      if (backoff < 1) this.#endCatchUp();
      else setTimeout(() => this.#endCatchUp(), backoff).unref();
      return;
    }
    this.#pump();
  }

  #isIdle(): boolean {
    return this.#queue.length === 0 && this.#pending.length === 0 && this.#waiters.length === 0;
  }

  #checkIdle(): void {
    if (this.#idleWaiters.length === 0 || !this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}
