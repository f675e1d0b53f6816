import type { InfrastructureEvent } from '@cim/contract';

/** Default number of recent events kept by id to answer retried commands with their original events. */
export const DEFAULT_RECENT_EVENTS = 50_000;

/**
 * The last `capacity` stored events by event_id. A retried command's events have the same
 * deterministic ids, so finding its first event here means the command was already applied.
 */
export class RecentEvents {
  readonly #byId = new Map<string, InfrastructureEvent>();
  constructor(readonly capacity: number = DEFAULT_RECENT_EVENTS) {}

  add(event: InfrastructureEvent): void {
    this.#byId.set(event.event_id, event);
    if (this.#byId.size > this.capacity) {
      const oldest = this.#byId.keys().next();
      if (!oldest.done) this.#byId.delete(oldest.value);
    }
  }

  get(eventId: string): InfrastructureEvent | undefined {
    return this.#byId.get(eventId);
  }
}
