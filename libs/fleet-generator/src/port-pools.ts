import type { PortPool } from './interface-templates.js';
import type { PlannedEndpoint, PlannedLink } from './site-plan.js';

interface PortOwner {
  readonly ports: readonly PlannedEndpoint[];
  used: number;
}

/**
 * The free ports of a site's switches, routers and hosts, by pool. Each port is handed out once, so
 * every interface ends up in at most one connection.
 */
export class PortPools {
  private readonly pools = new Map<PortPool, PortOwner[]>();

  /** Offers a device's ports to `pool`. */
  add(pool: PortPool, ports: readonly PlannedEndpoint[]): void {
    const owners = this.pools.get(pool) ?? [];
    owners.push({ ports, used: 0 });
    this.pools.set(pool, owners);
  }

  /** A free port of `pool` on the device with the most free ports (the first such on ties); undefined when full. */
  take(pool: PortPool): PlannedEndpoint | undefined {
    let best: PortOwner | undefined;
    for (const owner of this.pools.get(pool) ?? []) {
      if (best === undefined || owner.ports.length - owner.used > best.ports.length - best.used) best = owner;
    }
    return best && best.used < best.ports.length ? best.ports[best.used++] : undefined;
  }

  /** The next free port of the `position`-th device of `pool` (guests are placed on a chosen host). */
  takeFrom(pool: PortPool, position: number): PlannedEndpoint | undefined {
    const owner = this.pools.get(pool)?.[position];
    return owner && owner.used < owner.ports.length ? owner.ports[owner.used++] : undefined;
  }
}

/** The medium of a link: virtual if either end is virtual, fiber if both are, copper otherwise. */
export const mediumOf = (a: PlannedEndpoint, b: PlannedEndpoint): PlannedLink['medium'] => {
  const virtual = (e: PlannedEndpoint) => e.kind === 'virtual' || e.kind === 'bridge';
  if (virtual(a) || virtual(b)) return 'virtual';
  if (a.kind === 'wireless' || b.kind === 'wireless') return 'wireless';
  return a.kind === 'fiber' && b.kind === 'fiber' ? 'fiber' : 'copper';
};
