// Test fixtures of this package (excluded from the build): valid events, no servers.
import { createEvent, type EventOf, newId, rootIdentity } from '@cim/contract';

/** A valid `ComputeRegistered` event; `padding` adds a label of that many characters (to size events). */
export const computeRegistered = (
  options: { aggregateId?: string; version?: number; hostname?: string; padding?: number } = {},
): EventOf<'ComputeRegistered'> =>
  createEvent('ComputeRegistered', {
    aggregate_id: options.aggregateId ?? newId(),
    aggregate_version: options.version ?? 1,
    identity: rootIdentity(newId()),
    payload: {
      hostname: options.hostname ?? `host-${Math.random().toString(36).slice(2, 10)}`,
      resource_type: 'physical_server',
      labels: options.padding ? { padding: 'x'.repeat(options.padding) } : {},
    },
  });

/** A valid `ComputeUpdated` event of an existing compute aggregate. */
export const computeUpdated = (aggregateId: string, version: number): EventOf<'ComputeUpdated'> =>
  createEvent('ComputeUpdated', {
    aggregate_id: aggregateId,
    aggregate_version: version,
    identity: rootIdentity(newId()),
    payload: { cpu_cores: version },
  });

/** A valid `NetworkDefined` event. */
export const networkDefined = (aggregateId: string = newId()): EventOf<'NetworkDefined'> =>
  createEvent('NetworkDefined', {
    aggregate_id: aggregateId,
    aggregate_version: 1,
    identity: rootIdentity(newId()),
    payload: { name: 'lan', cidr: '10.0.0.0/24' },
  });

/** Decoded `event_id`s of stored events, for comparing what was read with what was appended. */
export const eventIds = (stored: { data: Uint8Array }[]): string[] =>
  stored.map((s) => (JSON.parse(new TextDecoder().decode(s.data)) as { event_id: string }).event_id);

/** Collects an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
