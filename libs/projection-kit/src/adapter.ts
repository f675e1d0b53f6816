import type { InfrastructureEvent } from '@cim/contract';
import type { CheckpointMovedError } from './errors.js';

/** An event as the kit hands it to an adapter: decoded, upcast, with its place in the stream. */
export interface StreamEvent {
  /** Stream sequence; the checkpoint is the sequence of the last applied event. */
  readonly sequence: number;
  readonly subject: string;
  /** When the stream stored it. */
  readonly timestamp: Date;
  readonly event: InfrastructureEvent;
}

export type HealthState = 'ok' | 'degraded';

export interface HealthStatus {
  state: HealthState;
  detail?: string;
}

/**
 * A pure projection: folds one event into state and says what to write, as data.
 * The adapter executes the effects against its store.
 */
export interface Projection<S, E> {
  initial(): S;
  apply(state: S, event: StreamEvent): { state: S; effects: readonly E[] };
}

/** Folds a batch through a pure projection, concatenating effects in order. */
export const foldBatch = <S, E>(
  projection: Projection<S, E>,
  state: S,
  batch: readonly StreamEvent[],
): { state: S; effects: E[] } => {
  const effects: E[] = [];
  let current = state;
  for (const item of batch) {
    const step = projection.apply(current, item);
    current = step.state;
    for (const effect of step.effects) effects.push(effect);
  }
  return { state: current, effects };
};

/**
 * The ProjectionAdapter functor: maps the event stream into one store. The kit owns delivery,
 * checkpoints, reset/rebuild, admin, health and metrics; an adapter only says how a batch changes
 * its store, and keeps the checkpoint in the same unit of work as the change.
 *
 * `Tx` is the store's unit of work (an SQL transaction, a Neo4j transaction, or `void` for stores
 * without transactions, which then make every write an idempotent upsert).
 */
export interface ProjectionAdapter<Tx = unknown> {
  /** Names the durable consumer, metrics label, admin subjects and DLQ subject. */
  readonly name: string;
  /** Creates or migrates what the adapter owns. Idempotent. */
  initialize(): Promise<void>;
  /** Runs `work` in one unit of work; commits when it resolves, rolls back when it throws. */
  transaction<R>(work: (tx: Tx) => Promise<R>): Promise<R>;
  /** The sequence of the last applied event (0 for an empty model). */
  readCheckpoint(tx?: Tx): Promise<number>;
  /** Applies a batch (sequences ascending, all above the checkpoint). Must not commit by itself. */
  project(batch: readonly StreamEvent[], tx: Tx): Promise<void>;
  /**
   * Stores the checkpoint in the same unit of work as the batch. `previous` is the checkpoint the
   * kit holds; a store that can lose or rewind commits should check it still holds `previous` and
   * throw {@link CheckpointMovedError} if not (`writeSqlCheckpoint` does).
   */
  writeCheckpoint(sequence: number, tx: Tx, previous: number): Promise<void>;
  /**
   * Optional: the store has caught up with the stream (a commit, or the start, left nothing
   * pending) for the first time since the projector started or reset it. The moment for work an
   * adapter defers through a replay, such as building indexes that only reads need instead of
   * maintaining them row by row. Called again after a failure, at the next commit that catches up;
   * the model must be the same whether or not it ran.
   */
  caughtUp?(): Promise<void>;
  /** Optional: folding each event as it arrives instead of when its batch commits ({@link Prefold}). */
  readonly prefold?: Prefold<Tx>;
  /** Empties everything the adapter owns, checkpoint included. */
  reset(): Promise<void>;
  healthCheck(): Promise<HealthStatus>;
  /** Optional zero-downtime rebuild: build into a shadow while the live model keeps serving. */
  readonly shadow?: ShadowRebuild;
  /** Releases connections. */
  close?(): Promise<void>;
}

/** A batch folded as its events arrive ({@link Prefold}); what it holds is the adapter's. */
export interface PrefoldedBatch {
  /** Folds the batch's next decoded event (stream order). A throw leaves the batch to `project`. */
  add(event: StreamEvent): void;
}

/**
 * Folding on arrival. The kit opens a fold per batch as the batch's first event arrives, adds each
 * decoded event to it and keeps only the event's bytes until the batch commits: decoded events held
 * for two batches outlived V8's young generation, and promoting them cost a projector a fifth of its
 * CPU in GC. A batch is opened on the one before it while that one still commits; the adapter checks
 * at commit that the fold still applies, and the kit decodes the bytes again when it does not.
 */
export interface Prefold<Tx = unknown> {
  /**
   * Opens the fold of the next batch: on the state `after` (a fold whose events all arrived) leaves
   * once it commits; without `after`, on the state the store holds now.
   */
  open(after: PrefoldedBatch | undefined): PrefoldedBatch;
  /**
   * Writes `batch` in `tx` as `project` would write its events, if its fold applies: it was opened on
   * the state `tx` starts from. False when it does not (a batch before it was rolled back or written
   * without its fold, the store was reloaded); the kit then calls `project` with the decoded events.
   */
  project(batch: PrefoldedBatch, tx: Tx): Promise<boolean>;
}

/**
 * Blue/green rebuild hook. After `begin`, the adapter writes (and reads its checkpoint) from an
 * empty shadow while readers still see the live model; `swap` makes the shadow live atomically;
 * `abort` drops the shadow and returns to the live model.
 */
export interface ShadowRebuild {
  begin(): Promise<void>;
  swap(): Promise<void>;
  abort(): Promise<void>;
}
