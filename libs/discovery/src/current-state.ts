import { decodeEvent, subjectFor } from '@cim/contract';
import type { EventStore, StoredEvent } from '@cim/event-store';
import { DiscoveryError } from './errors.js';
import { type CurrentState, StateFold } from './state-fold.js';

/** Options of {@link loadCurrentState}. */
export interface LoadCurrentStateOptions {
  /**
   * A fold from an earlier load to continue: only events after its sequence are read (what
   * `watchDiscovery` does each interval). Default: a new fold, reading from sequence 1.
   */
  fold?: StateFold;
}

const decoder = new TextDecoder();

interface RawEvent {
  aggregate_id?: unknown;
  payload?: { hostname?: unknown; resource_id?: unknown };
}

/** Several `filter_subjects` on one consumer arrived in nats-server 2.10. */
function serverFiltersMany(version: string | undefined): boolean {
  const [major = 0, minor = 0] = (version ?? '0.0').split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 10);
}

/**
 * Folds what the stream says about `hostname`'s resource, the defined networks and that resource's
 * software. Measurements (most of a long-lived stream) are not read where the server filters on
 * several subjects (2.10+); on 2.9 they are skipped by subject without being parsed. Events of other
 * hosts are recognised from their raw JSON and never validated, so a load costs one JSON.parse per
 * compute and software event of the fleet. Undecodable events are counted in `fold.skipped`.
 */
export async function loadCurrentState(
  store: EventStore,
  hostname: string,
  options: LoadCurrentStateOptions = {},
): Promise<CurrentState> {
  const fold = options.fold ?? new StateFold(hostname);
  if (fold.hostname !== hostname.trim().toLowerCase()) {
    throw new DiscoveryError(
      'INVALID_OPTIONS',
      `the state fold is for '${fold.hostname}', not '${hostname}'; start a new fold for another hostname`,
    );
  }
  const end = await store.lastSequence();
  if (end <= fold.sequence) return fold.snapshot();
  const root = store.subjectRoot;
  const range = { fromSequence: fold.sequence + 1, untilSequence: end };
  const lifecycle = ['ComputeRegistered', 'ComputeUpdated', 'ComputeDecommissioned'] as const;
  const computeSubjects = lifecycle.map((t) => subjectFor(t, root));
  const measured = subjectFor('ComputeMeasured', root);

  const apply = (stored: StoredEvent, relevant: (raw: RawEvent) => boolean): void => {
    let raw: RawEvent;
    try {
      raw = JSON.parse(decoder.decode(stored.data)) as RawEvent;
    } catch {
      fold.skipped++;
      return;
    }
    if (!relevant(raw)) return;
    const decoded = decodeEvent(raw);
    if (decoded.ok) fold.apply(decoded.event);
    else fold.skipped++;
  };

  // Compute first: which resources hold the hostname decides which software events matter.
  const manyFilters = serverFiltersMany(store.connection.info?.version);
  for await (const stored of store.readAll({
    ...range,
    filterSubject: manyFilters ? computeSubjects : `${root}.compute.>`,
  })) {
    if (stored.subject === measured) continue;
    apply(stored, (raw) => {
      const named =
        typeof raw.payload?.hostname === 'string' &&
        raw.payload.hostname.trim().toLowerCase() === fold.hostname;
      return named || (typeof raw.aggregate_id === 'string' && fold.tracksResource(raw.aggregate_id));
    });
  }
  for await (const stored of store.readAll({ ...range, filterSubject: `${root}.network.>` })) {
    apply(stored, () => true);
  }
  for await (const stored of store.readAll({ ...range, filterSubject: `${root}.software.>` })) {
    apply(
      stored,
      (raw) =>
        typeof raw.aggregate_id === 'string' &&
        fold.concernsSoftware(raw.aggregate_id, raw.payload?.resource_id),
    );
  }
  fold.sequence = end;
  return fold.snapshot();
}
