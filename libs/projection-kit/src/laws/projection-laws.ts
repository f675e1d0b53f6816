import { isDeepStrictEqual } from 'node:util';
import type { InfrastructureEvent } from '@cim/contract';
import { generateFleet } from '@cim/fleet-generator';
import fc from 'fast-check';
import type { PrefoldedBatch, ProjectionAdapter, StreamEvent } from '../adapter.js';
import { applyBatch, type RawStreamMessage } from '../apply-batch.js';

/** What the law suite needs of an adapter under test. */
export interface LawSubject {
  adapter: ProjectionAdapter<never> | ProjectionAdapter<unknown>;
  /** A canonical, comparable dump of the whole read model (sorted rows, no timestamps of writing). */
  snapshot(): Promise<unknown>;
  /** The read model a correct projection of these events has, computed in memory independently. */
  reference?(events: readonly StreamEvent[]): unknown;
  /** Also require that re-projecting applied events straight through the adapter changes nothing
   * (stores without transactions, whose checkpoint is written after the batch). @default false */
  idempotentWrites?: boolean;
}

export interface LawOptions {
  /** @default 8 */
  runs?: number;
  /** Resources per generated fleet. @default 6 */
  resources?: number;
  /** Events per generated stream. @default 60 */
  events?: number;
  /** fast-check seed, for reproducing a failure. */
  seed?: number;
  /** Stream source; defaults to the fleet generator. */
  stream?: (seed: number) => readonly InfrastructureEvent[];
}

const encoder = new TextEncoder();

const toMessages = (events: readonly InfrastructureEvent[]): RawStreamMessage[] =>
  events.map((event, i) => ({
    sequence: i + 1,
    subject: `infrastructure.${event.aggregate_type}`,
    timestamp: new Date(event.occurred_at),
    data: encoder.encode(JSON.stringify(event)),
  }));

const toStreamEvents = (
  messages: readonly RawStreamMessage[],
  events: readonly InfrastructureEvent[],
): StreamEvent[] =>
  messages.map((m, i) => ({
    sequence: m.sequence,
    subject: m.subject,
    timestamp: m.timestamp,
    event: events[i]!,
  }));

const noDeadLetters = async (letter: { sequence: number; reason: string }) => {
  throw new Error(`law streams are valid, yet event ${letter.sequence} was dead-lettered: ${letter.reason}`);
};

const expectEqual = (law: string, actual: unknown, expected: unknown) => {
  if (!isDeepStrictEqual(actual, expected)) {
    const show = (v: unknown) => JSON.stringify(v).slice(0, 600);
    throw new Error(`${law} law violated:\n  got      ${show(actual)}\n  expected ${show(expected)}`);
  }
};

/** Splits 1..n into consecutive batches at the given cut points. */
const split = <T>(items: readonly T[], cuts: readonly number[]): T[][] => {
  const points = [...new Set(cuts.map((c) => c % (items.length + 1)))].sort((a, b) => a - b);
  const batches: T[][] = [];
  let from = 0;
  for (const p of [...points, items.length]) {
    batches.push(items.slice(from, p));
    from = p;
  }
  return batches;
};

/**
 * Property-checks the functor laws of a projection adapter through the kit's own batch path:
 * - reference: projecting a stream gives the read model the in-memory reference predicts;
 * - identity: an empty batch changes nothing;
 * - composition: any split of the stream into batches gives the same model as one batch;
 * - idempotence: redelivering an applied prefix changes nothing;
 * - determinism: rebuilding from scratch gives the same model again;
 * - folding on arrival: batches folded as they arrive, each on the one before it while that one
 *   commits, give the same model as none, also when a batch is written without its fold, which
 *   voids the folds opened on it (the adapter must see that; the projector folds them again);
 * - catching up: `caughtUp` after the first batch of a replay and again at its end (the work an
 *   adapter deferred through the replay done midway, then a second call) gives the same model.
 * Throws with the violated law and a reproducible fast-check seed.
 */
export const checkProjectionLaws = async (subject: LawSubject, options: LawOptions = {}): Promise<void> => {
  const adapter = subject.adapter as ProjectionAdapter<unknown>;
  const stream =
    options.stream ??
    ((seed: number) => [
      ...generateFleet({ resources: options.resources ?? 6, events: options.events ?? 60, seed }),
    ]);
  const applyAfter = (
    checkpoint: number,
    messages: readonly RawStreamMessage[],
    prefolded?: PrefoldedBatch,
  ) => applyBatch(adapter, messages, checkpoint, { deadLetter: noDeadLetters, maxAttempts: 1, prefolded });
  const apply = async (messages: readonly RawStreamMessage[]) =>
    applyAfter(await adapter.readCheckpoint(), messages);

  await adapter.initialize();
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      fc.array(fc.nat(), { maxLength: 6 }),
      fc.nat(),
      async (seed, cuts, prefixCut) => {
        const events = stream(seed);
        const messages = toMessages(events);

        await adapter.reset();
        await apply(messages);
        const whole = await subject.snapshot();
        if (subject.reference)
          expectEqual('reference', whole, subject.reference(toStreamEvents(messages, events)));
        expectEqual('checkpoint', await adapter.readCheckpoint(), messages.length);

        await apply([]);
        expectEqual('identity', await subject.snapshot(), whole);

        const prefix = messages.slice(0, prefixCut % (messages.length + 1));
        await apply(prefix);
        expectEqual('idempotence (redelivery)', await subject.snapshot(), whole);
        if (subject.idempotentWrites && prefix.length > 0) {
          await adapter.transaction((tx) => adapter.project(toStreamEvents(prefix, events), tx));
          expectEqual('idempotence (writes)', await subject.snapshot(), whole);
        }

        await adapter.reset();
        for (const batch of split(messages, cuts)) await apply(batch);
        expectEqual('composition', await subject.snapshot(), whole);

        await adapter.reset();
        await apply(messages);
        expectEqual('determinism', await subject.snapshot(), whole);

        if (adapter.prefold) {
          await adapter.reset();
          const { prefold } = adapter;
          const batches = split(messages, cuts).filter((b) => b.length > 0);
          const foldOf = (batch: readonly RawStreamMessage[], after: PrefoldedBatch | undefined) => {
            const fold = prefold.open(after);
            for (const e of toStreamEvents(batch, events.slice(batch[0]!.sequence - 1))) fold.add(e);
            return fold;
          };
          let fold = batches[0] && foldOf(batches[0], undefined);
          let checkpoint = 0;
          for (const [i, batch] of batches.entries()) {
            const following = batches[i + 1];
            const next = following && foldOf(following, fold);
            // Every third batch written without its fold, as after one of its events failed to fold.
            const folded = batch.map((m) => ({ ...m, folded: true as const }));
            const written = await applyAfter(checkpoint, folded, i % 3 === 2 ? undefined : fold);
            checkpoint = written.checkpoint;
            fold = next;
            // The fold opened on it is void now: folded again, or (every other time) handed over as
            // it is, for the adapter to see that it no longer applies.
            if (!written.prefolded && following && i % 2 === 0) fold = foldOf(following, undefined);
          }
          expectEqual('folding on arrival', await subject.snapshot(), whole);
        }

        if (adapter.caughtUp) {
          await adapter.reset();
          for (const [i, batch] of split(messages, cuts).entries()) {
            await apply(batch);
            if (i === 0) await adapter.caughtUp();
          }
          await adapter.caughtUp();
          expectEqual('catching up', await subject.snapshot(), whole);
        }
      },
    ),
    { numRuns: options.runs ?? 8, ...(options.seed !== undefined && { seed: options.seed }) },
  );
};
