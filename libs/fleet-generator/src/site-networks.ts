import { NETWORK_ROLES, NETWORK_VLANS, type NetworkRole } from './interface-templates.js';
import { blockSize, type Ipv4BlockAllocator, ipv4ToString, prefixForHosts } from './ipv4.js';
import type { PlannedNetwork } from './site-plan.js';
import type { UuidV7Factory } from './uuid-v7.js';

/** Spare addresses a network keeps beyond the planned interfaces (25%), as real subnets do. */
const HEADROOM = 1.25;

/** A site's networks and the addresses handed out in them. */
export class SiteNetworks {
  private readonly next = new Map<NetworkRole, number>();
  private readonly blocks = new Map<NetworkRole, { network: number; prefix: number }>();
  /** In emission order ({@link NETWORK_ROLES}). */
  readonly networks: PlannedNetwork[] = [];

  /**
   * Sizes each network for `demand` host addresses plus headroom (never smaller than a /28) and takes
   * its block from `addresses`, largest first so that alignment wastes little.
   */
  constructor(
    site: string,
    demand: Readonly<Record<NetworkRole, number>>,
    addresses: Ipv4BlockAllocator,
    ids: UuidV7Factory,
    idTimestampMs: number,
  ) {
    const prefixes = NETWORK_ROLES.map(
      (role) => [role, prefixForHosts(Math.ceil(demand[role] * HEADROOM))] as const,
    );
    for (const [role, prefix] of [...prefixes].sort((x, y) => x[1] - y[1])) {
      this.blocks.set(role, { network: addresses.allocate(prefix), prefix });
    }
    for (const role of NETWORK_ROLES) {
      const { network, prefix } = this.blocks.get(role)!;
      this.next.set(role, network + 2);
      this.networks.push({
        id: ids.next(idTimestampMs),
        role,
        definition: {
          name: `${site}-${role}`,
          cidr: `${ipv4ToString(network)}/${prefix}`,
          vlan_id: NETWORK_VLANS[role],
          gateway: ipv4ToString(network + 1),
          site,
        },
      });
    }
  }

  /** The gateway address of `role`'s network with its prefix length, e.g. `10.0.4.1/23`. */
  gateway(role: NetworkRole): string {
    const { network, prefix } = this.blocks.get(role)!;
    return `${ipv4ToString(network + 1)}/${prefix}`;
  }

  /** The next free host address of `role`'s network with its prefix length; never the gateway or broadcast. */
  allocate(role: NetworkRole): string {
    const { network, prefix } = this.blocks.get(role)!;
    const ip = this.next.get(role)!;
    // Sizing guarantees room; running out would be a planning bug, not a user error.
    if (ip >= network + blockSize(prefix) - 1)
      throw new Error(`internal: the ${role} network was planned too small`);
    this.next.set(role, ip + 1);
    return `${ipv4ToString(ip)}/${prefix}`;
  }
}
