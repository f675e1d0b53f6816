import { type FleetOptions, type ResolvedFleetOptions, resolveFleetOptions } from './fleet-options.js';
import { Ipv4BlockAllocator } from './ipv4.js';
import { MacAllocator } from './mac-allocator.js';
import type { PlanningContext } from './planning-context.js';
import { deriveSeed, Prng } from './prng.js';
import type { GeneratedResourceType } from './resource-profiles.js';
import type { AnomalyKind, SitePlan } from './site-plan.js';
import { planSite } from './site-planner.js';
import { UuidV7Factory } from './uuid-v7.js';

/** Id stream of inventory aggregates; the event writer uses another, so the two never collide. */
export const PLAN_ID_STREAM = 0;

/** Sizes of the sites of a fleet: as many as `resourcesPerSite` needs, sizes differing by at most one. */
export const siteSizes = (resources: number, resourcesPerSite: number): number[] => {
  const sites = Math.ceil(resources / resourcesPerSite);
  const base = Math.floor(resources / sites);
  return Array.from({ length: sites }, (_, i) => base + (i < resources % sites ? 1 : 0));
};

/**
 * The inventory of a fleet, one site at a time (only the current site is held in memory). Draws only
 * from its own seeded streams, so it plans the same sites whether or not events are generated.
 */
export function* planFleet(options: ResolvedFleetOptions): Generator<SitePlan> {
  const { seed } = options;
  const ctx: PlanningContext = {
    prng: new Prng(deriveSeed(seed, 'plan')),
    ids: new UuidV7Factory(new Prng(deriveSeed(seed, 'plan-ids')), PLAN_ID_STREAM),
    macs: new MacAllocator(new Prng(deriveSeed(seed, 'macs'))),
    addresses: new Ipv4BlockAllocator(),
    idTimestampMs: options.startMs,
    anomalyRate: options.anomalyRate,
    nextResourceIndex: 0,
  };
  const sizes = siteSizes(options.resources, options.resourcesPerSite);
  for (let i = 0; i < sizes.length; i++) yield planSite(ctx, i, sizes[i]!);
}

/** A resource whose measurements were made anomalous on purpose, for detectors to find. */
export interface PlantedAnomaly {
  readonly resource_id: string;
  readonly hostname: string;
  readonly resource_type: GeneratedResourceType;
  readonly kind: AnomalyKind;
}

/**
 * The resources {@link generateFleet} plants anomalies in for the same options (about `anomalyRate`
 * of the fleet, at least one when the rate is positive). Planted resources are never decommissioned.
 * `events` does not matter: a stream cut short may simply not reach their measurements.
 */
export const plantedAnomalies = (options: FleetOptions): PlantedAnomaly[] => {
  const planted: PlantedAnomaly[] = [];
  for (const site of planFleet(resolveFleetOptions(options))) {
    for (const r of site.resources) {
      if (r.anomaly)
        planted.push({ resource_id: r.id, hostname: r.hostname, resource_type: r.type, kind: r.anomaly });
    }
  }
  return planted;
};
