import { Cidr, cidrContains, type NetworkInterface, parseCidr } from '@cim/contract';
import type { PlannedCommandOf } from './planned-command.js';

/** ipaddr.js ranges that name no network of this site. */
const NOT_A_NETWORK = new Set(['linkLocal', 'loopback', 'unspecified', 'multicast']);

/**
 * The network an interface address lies in (`192.0.2.7/24` → `192.0.2.0/24`), or undefined for
 * link-local, loopback and host-prefix (/32, /128) addresses: a /32 (cloud VMs, VPN peers) is one
 * host, not a network to model.
 */
export function networkOf(ipWithPrefix: string): string | undefined {
  const parsed = parseCidr(ipWithPrefix);
  if (!parsed) return undefined;
  const [address, prefix] = parsed;
  const bits = address.kind() === 'ipv4' ? 32 : 128;
  if (prefix >= bits || NOT_A_NETWORK.has(address.range())) return undefined;
  const bytes = address.toByteArray();
  for (let bit = prefix; bit < bits; bit++) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) & ~(0x80 >> (bit & 7));
  const text =
    bits === 32
      ? bytes.join('.')
      : Array.from({ length: 8 }, (_, g) =>
          (((bytes[2 * g] ?? 0) << 8) | (bytes[2 * g + 1] ?? 0)).toString(16),
        ).join(':');
  // The contract's Cidr gives the canonical text (compressed IPv6) every read model stores.
  const cidr = Cidr.safeParse(`${text}/${prefix}`);
  return cidr.success ? cidr.data : undefined;
}

/** One `network.define` per interface network not defined yet, named by its CIDR. */
export function planNetworks(
  interfaces: readonly NetworkInterface[],
  definedCidrs: ReadonlySet<string>,
  defaultGateway: string | undefined,
): PlannedCommandOf<'network.define'>[] {
  const planned = new Map<string, PlannedCommandOf<'network.define'>>();
  for (const iface of interfaces) {
    for (const ip of iface.ips) {
      const cidr = networkOf(ip);
      if (cidr === undefined || definedCidrs.has(cidr) || planned.has(cidr)) continue;
      const gateway =
        defaultGateway !== undefined && cidrContains(cidr, defaultGateway) ? defaultGateway : undefined;
      planned.set(cidr, {
        name: 'network.define',
        payload: { name: cidr, cidr, ...(gateway !== undefined && { gateway }) },
        reason: `new network on ${iface.name} (${ip})${gateway ? `, gateway ${gateway}` : ''}`,
      });
    }
  }
  return [...planned.values()];
}
