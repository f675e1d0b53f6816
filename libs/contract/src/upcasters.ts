import type { EventType } from './catalog.js';

/** Turns a payload of version `from` into version `from + 1`. Pure; never validates. */
export type Upcaster = (payload: Record<string, unknown>) => Record<string, unknown>;

/** Upcasters by event type, then by the version they upcast from. */
export type UpcasterRegistry = Partial<Record<EventType, Readonly<Record<number, Upcaster>>>>;

/**
 * ComputeRegistered v1 (2025 discovery agents) named the type `type`, the core count `cpus` and
 * memory in GiB; v2 uses the taxonomy field `resource_type`, `cpu_cores` and `memory_mb`.
 */
const computeRegisteredV1toV2: Upcaster = ({ type, cpus, memory_gb, ...rest }) => ({
  ...rest,
  ...(type !== undefined && { resource_type: type }),
  ...(cpus !== undefined && { cpu_cores: cpus }),
  ...(typeof memory_gb === 'number' && { memory_mb: Math.round(memory_gb * 1024) }),
});

/** Every upcaster the catalog ships. */
export const UPCASTERS: UpcasterRegistry = {
  ComputeRegistered: { 1: computeRegisteredV1toV2 },
};

export type UpcastResult = { ok: true; payload: Record<string, unknown> } | { ok: false; reason: string };

/** Applies upcasters from `version` to `target`; reports a missing step instead of guessing. */
export const upcastPayload = (
  eventType: EventType,
  payload: Record<string, unknown>,
  version: number,
  target: number,
  registry: UpcasterRegistry = UPCASTERS,
): UpcastResult => {
  let current = payload;
  for (let v = version; v < target; v++) {
    const step = registry[eventType]?.[v];
    if (!step)
      return { ok: false, reason: `no upcaster for ${eventType} from schema_version ${v} to ${v + 1}` };
    current = step(current);
  }
  return { ok: true, payload: current };
};
