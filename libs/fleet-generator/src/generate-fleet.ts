import type { InfrastructureEvent } from '@cim/contract';
import { EventWriter } from './event-writer.js';
import { type FleetOptions, type ResolvedFleetOptions, resolveFleetOptions } from './fleet-options.js';
import { planFleet } from './fleet-planner.js';
import { FleetState } from './fleet-state.js';
import { inventoryEvents } from './inventory-events.js';
import { lifecycle } from './lifecycle-events.js';
import { deriveSeed, Prng } from './prng.js';
import { UuidV7Factory } from './uuid-v7.js';

/** Id stream of event, command and lifecycle-created aggregate ids (inventory ids use stream 0). */
const EVENT_ID_STREAM = 1;

/** Gap between inventory events in milliseconds: an import arrives as a burst. */
const INVENTORY_GAP_MS = [1, 20] as const;

/**
 * A deterministic synthetic fleet as a lazy stream of valid events (each built by the contract's
 * `createEvent`). Equal options give byte-identical events, ids included.
 *
 * First the inventory, site by site (about 250 resources each): networks, resources, connections,
 * software, policies; then lifecycle events until exactly `events` were produced: mostly
 * ComputeMeasured, plus status and capacity updates, software upgrades, severed and re-established
 * connections, network and policy changes and decommissions. Aggregate versions count 1, 2, 3, … per
 * aggregate; `occurred_at` strictly increases from `start`; no event references an aggregate not yet
 * created or already removed. Memory stays O(resources) however many events are drawn.
 *
 * Throws {@link FleetGeneratorError} `INVALID_OPTIONS` at once (not on first iteration) for bad options.
 */
export const generateFleet = (options: FleetOptions): Generator<InfrastructureEvent, void, undefined> =>
  fleetEvents(resolveFleetOptions(options));

function* fleetEvents(options: ResolvedFleetOptions): Generator<InfrastructureEvent, void, undefined> {
  const { seed, eventSpacingMs } = options;
  let remaining = options.events;
  if (remaining === 0) return;
  const ids = new UuidV7Factory(new Prng(deriveSeed(seed, 'event-ids')), EVENT_ID_STREAM);
  const writer = new EventWriter(options.startMs, new Prng(deriveSeed(seed, 'clock')), ids);
  const state = new FleetState(new Prng(deriveSeed(seed, 'telemetry')));
  writer.pace(...INVENTORY_GAP_MS);
  for (const site of planFleet(options)) {
    for (const event of inventoryEvents(site, state, writer)) {
      yield event;
      if (--remaining === 0) return;
    }
  }
  writer.pace(1, 2 * eventSpacingMs - 1);
  const nextCommand = lifecycle(state, writer, new Prng(deriveSeed(seed, 'lifecycle')));
  for (;;) {
    for (const event of nextCommand()) {
      yield event;
      if (--remaining === 0) return;
    }
  }
}
