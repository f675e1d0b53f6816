import { access } from 'node:fs/promises';
import { networkInterfaces as osNetworkInterfaces } from 'node:os';
import type { Systeminformation } from 'systeminformation';
import type { InterfaceFacts } from './facts.js';

/** Interfaces left out unless told otherwise: container-side veth peers come and go with containers. */
export const DEFAULT_SKIPPED_INTERFACES = /^veth/;

/** Which interfaces and addresses {@link collectInterfaces} keeps. */
export interface InterfaceOptions {
  /** Keep the loopback interface. Default false. */
  includeLoopback?: boolean;
  /**
   * Keep link-local addresses (169.254/16, fe80::/10). Default false: every link has the same
   * fe80::/64, so they identify nothing and would add one meaningless IP row per interface to every
   * read model.
   */
  includeLinkLocal?: boolean;
  /** Interface names to leave out. Default {@link DEFAULT_SKIPPED_INTERFACES}. */
  skip?: RegExp;
}

/** Prefix length of a contiguous IPv4 or IPv6 netmask (`255.255.255.0` → 24); undefined if not one. */
export function maskToPrefix(mask: string): number | undefined {
  const bits = mask.includes(':') ? ipv6Bits(mask) : ipv4Bits(mask);
  if (bits === undefined) return undefined;
  const ones = bits.indexOf('0') === -1 ? bits.length : bits.indexOf('0');
  return bits.slice(ones).includes('1') ? undefined : ones;
}

function ipv4Bits(mask: string): string | undefined {
  const parts = mask.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return parts.map((p) => p.toString(2).padStart(8, '0')).join('');
}

function ipv6Bits(mask: string): string | undefined {
  const [head = '', tail, ...rest] = mask.split('::');
  if (rest.length > 0) return undefined;
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(Math.max(fill, 0)).fill('0'), ...right];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16).toString(2).padStart(16, '0')).join('');
}

const isLinkLocal = (ip: string): boolean => /^169\.254\./.test(ip) || /^fe[89ab][0-9a-f]:/i.test(ip);
const isLoopbackIp = (ip: string): boolean => /^127\./.test(ip) || ip === '::1';

const sysfsHas = (name: string, entry: string): Promise<boolean> =>
  access(`/sys/class/net/${name}/${entry}`).then(
    () => true,
    () => false,
  );

/** Bridges and bonds are told by their sysfs folders; the rest by si's `type` and virtual flag. */
async function kindOf(i: Systeminformation.NetworkInterfacesData): Promise<InterfaceFacts['kind']> {
  if (i.internal || i.iface === 'lo') return 'loopback';
  if (await sysfsHas(i.iface, 'bridge')) return 'bridge';
  if (await sysfsHas(i.iface, 'bonding')) return 'bond';
  if (i.type === 'wireless') return 'wireless';
  if (i.virtual || i.type === 'virtual') return 'virtual';
  return i.type === 'wired' ? 'ethernet' : 'other';
}

/** Whose claim to a shared MAC wins: the NIC the address is burnt into, before bonds and bridges. */
const MAC_OWNER_RANK: Record<InterfaceFacts['kind'], number> = {
  ethernet: 0,
  wireless: 0,
  other: 1,
  bond: 2,
  bridge: 3,
  virtual: 4,
  loopback: 5,
};

/**
 * The machine's interfaces. si gives names, MACs, types, speeds and each interface's first IPv4 and
 * IPv6 address with its netmask; it reports only the first of each family, so the remaining
 * addresses come from Node's `os.networkInterfaces()`.
 */
export async function collectInterfaces(
  siInterfaces: readonly Systeminformation.NetworkInterfacesData[],
  options: InterfaceOptions = {},
): Promise<InterfaceFacts[]> {
  const { includeLoopback = false, includeLinkLocal = false, skip = DEFAULT_SKIPPED_INTERFACES } = options;
  const osIfaces = osNetworkInterfaces();
  const result: InterfaceFacts[] = [];
  for (const i of siInterfaces) {
    const kind = await kindOf(i);
    if ((kind === 'loopback' && !includeLoopback) || skip.test(i.iface)) continue;
    const addresses = new Set<string>();
    const add = (ip: string, prefix: number | undefined) => {
      const address = ip.split('%')[0]?.toLowerCase() ?? '';
      if (address === '' || prefix === undefined) return;
      if (!includeLinkLocal && isLinkLocal(address)) return;
      if (!includeLoopback && isLoopbackIp(address)) return;
      addresses.add(`${address}/${prefix}`);
    };
    if (i.ip4) add(i.ip4, maskToPrefix(i.ip4subnet));
    if (i.ip6) add(i.ip6, maskToPrefix(i.ip6subnet));
    for (const a of osIfaces[i.iface] ?? []) {
      if (a.cidr) add(a.address, Number(a.cidr.split('/')[1]));
    }
    const mac = i.mac && !/^(00:){5}00$/.test(i.mac) ? i.mac.toLowerCase() : undefined;
    result.push({
      name: i.iface,
      ...(mac !== undefined && { mac }),
      ips: [...addresses],
      kind,
      ...(i.speed !== null && i.speed > 0 && { speedMbps: i.speed }),
      operstate: i.operstate,
    });
  }
  result.sort((a, b) => a.name.localeCompare(b.name));
  return dedupeMacs(result);
}

/**
 * A bond and its slaves, or a bridge and its first port, report one MAC; the contract allows a MAC on
 * one interface of a resource only, so it stays with the best owner ({@link MAC_OWNER_RANK}).
 */
function dedupeMacs(interfaces: InterfaceFacts[]): InterfaceFacts[] {
  const owner = new Map<string, InterfaceFacts>();
  for (const i of interfaces) {
    if (i.mac === undefined) continue;
    const current = owner.get(i.mac);
    if (!current || MAC_OWNER_RANK[i.kind] < MAC_OWNER_RANK[current.kind]) owner.set(i.mac, i);
  }
  return interfaces.map((i) => {
    if (i.mac === undefined || owner.get(i.mac) === i) return i;
    const { mac: _shared, ...rest } = i;
    return rest;
  });
}
