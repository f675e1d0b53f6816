import { FleetGeneratorError } from './errors.js';

/** What fleet to generate. Equal options give byte-identical event streams. */
export interface FleetOptions {
  /** Number of resources registered (ComputeRegistered events), 1 to {@link MAX_FLEET_RESOURCES}. */
  resources: number;
  /**
   * Exact total number of events. Default `resources × 8` ({@link DEFAULT_FLEET_OPTIONS}). The
   * inventory (networks, resources, connections, software, policies: about 3.5 events per resource)
   * comes first; a smaller count cuts it short, a larger one continues with lifecycle events.
   */
  events?: number;
  /** Seed of every random choice; any safe integer. Default 1. */
  seed?: number;
  /** `occurred_at` of the first event. Default 2025-01-01T00:00:00.000Z (fixed, so runs are reproducible). */
  start?: Date;
  /** Resources per site; one site per started block. Default 250, at least 8. */
  resourcesPerSite?: number;
  /** Share of resources planted with anomalous measurements, 0–0.2. Default 0.015 (at least one). */
  anomalyRate?: number;
  /** Mean gap between lifecycle events in milliseconds, at least 2. Default 1000. */
  eventSpacingMs?: number;
}

/** Options after defaults are applied and validated. */
export interface ResolvedFleetOptions {
  readonly resources: number;
  readonly events: number;
  readonly seed: number;
  readonly startMs: number;
  readonly resourcesPerSite: number;
  readonly anomalyRate: number;
  readonly eventSpacingMs: number;
}

/** Streams start before year 9900, so that even long ones keep four-digit years. */
const LATEST_START_MS = Date.UTC(9900, 0, 1);

/** Largest supported fleet: its addresses must fit into 10.0.0.0/8. */
export const MAX_FLEET_RESOURCES = 1_000_000;

/** Defaults of {@link FleetOptions}. */
export const DEFAULT_FLEET_OPTIONS = {
  eventsPerResource: 8,
  seed: 1,
  start: new Date('2025-01-01T00:00:00.000Z'),
  resourcesPerSite: 250,
  anomalyRate: 0.015,
  eventSpacingMs: 1_000,
} as const;

const invalid = (message: string): never => {
  throw new FleetGeneratorError('INVALID_OPTIONS', message);
};

const integerIn = (name: string, value: number, min: number, max: number): number => {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    invalid(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
};

/** Applies defaults and validates; throws {@link FleetGeneratorError} `INVALID_OPTIONS` naming the option. */
export const resolveFleetOptions = (options: FleetOptions): ResolvedFleetOptions => {
  const d = DEFAULT_FLEET_OPTIONS;
  const resources = integerIn('resources', options.resources, 1, MAX_FLEET_RESOURCES);
  const events = integerIn(
    'events',
    options.events ?? resources * d.eventsPerResource,
    0,
    Number.MAX_SAFE_INTEGER,
  );
  const seed = options.seed ?? d.seed;
  if (!Number.isSafeInteger(seed)) invalid(`seed must be a safe integer, got ${seed}`);
  const startMs = (options.start ?? d.start).getTime();
  if (!(startMs >= 0 && startMs < LATEST_START_MS)) invalid('start must be a valid date from 1970 to 9899');
  const resourcesPerSite = integerIn(
    'resourcesPerSite',
    options.resourcesPerSite ?? d.resourcesPerSite,
    8,
    100_000,
  );
  const anomalyRate = options.anomalyRate ?? d.anomalyRate;
  if (!(anomalyRate >= 0 && anomalyRate <= 0.2))
    invalid(`anomalyRate must be between 0 and 0.2, got ${anomalyRate}`);
  const eventSpacingMs = integerIn(
    'eventSpacingMs',
    options.eventSpacingMs ?? d.eventSpacingMs,
    2,
    86_400_000,
  );
  return { resources, events, seed, startMs, resourcesPerSite, anomalyRate, eventSpacingMs };
};
