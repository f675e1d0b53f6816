import type { Ipv4BlockAllocator } from './ipv4.js';
import type { MacAllocator } from './mac-allocator.js';
import type { Prng } from './prng.js';
import type { PlannedEndpoint } from './site-plan.js';
import type { UuidV7Factory } from './uuid-v7.js';

/** Fleet-wide state the site planner draws from and advances; one per fleet, used site after site. */
export interface PlanningContext {
  readonly prng: Prng;
  readonly ids: UuidV7Factory;
  readonly macs: MacAllocator;
  readonly addresses: Ipv4BlockAllocator;
  /** Timestamp of the ids of inventory aggregates. */
  readonly idTimestampMs: number;
  readonly anomalyRate: number;
  nextResourceIndex: number;
  /** The previous site's free WAN interface; the next site's router cables to it. */
  previousWan?: PlannedEndpoint;
}
