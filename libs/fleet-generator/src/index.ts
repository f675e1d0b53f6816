export { FleetGeneratorError, type FleetGeneratorErrorCode, isFleetGeneratorError } from './errors.js';
export {
  DEFAULT_FLEET_OPTIONS,
  type FleetOptions,
  MAX_FLEET_RESOURCES,
  type ResolvedFleetOptions,
  resolveFleetOptions,
} from './fleet-options.js';
export { type PlantedAnomaly, plantedAnomalies } from './fleet-planner.js';
export { generateFleet } from './generate-fleet.js';
export type { GeneratedResourceType } from './resource-profiles.js';
export { ANOMALY_KINDS, type AnomalyKind } from './site-plan.js';
