import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/**
 * Value objects validated at the boundary. Each schema normalises its value (lower-case hostnames
 * and MACs, canonical IP text) so that equal things compare equal in every read model.
 */

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** RFC 1123 host name: dot-separated labels of 1–63 letters, digits or inner hyphens, 253 chars max. */
export const Hostname = z
  .string()
  .trim()
  .toLowerCase()
  .refine((h) => h.length > 0 && h.length <= 253 && h.split('.').every((label) => LABEL.test(label)), {
    error: (iss) =>
      `invalid hostname '${String(iss.input)}': use labels of letters, digits and inner hyphens (RFC 1123)`,
  });

const MAC_FORMS = [
  /^([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})([0-9a-f]{2})\.([0-9a-f]{2})([0-9a-f]{2})\.([0-9a-f]{2})([0-9a-f]{2})$/i,
];

/** Normalises a MAC address to lower-case colon form, or returns undefined when it is not one. */
export const normalizeMac = (value: string): string | undefined => {
  for (const form of MAC_FORMS) {
    const m = form.exec(value.trim());
    if (m) return m.slice(1).join(':').toLowerCase();
  }
  return undefined;
};

/** MAC-48 address (`aa:bb:cc:dd:ee:ff`, `AA-BB-…`, `aabb.ccdd.eeff`), normalised to `aa:bb:cc:dd:ee:ff`. */
export const MacAddress = z.string().transform((value, ctx) => {
  const mac = normalizeMac(value);
  if (mac === undefined) {
    ctx.addIssue({ code: 'custom', message: `invalid MAC address '${value}'`, input: value });
    return z.NEVER;
  }
  return mac;
});

/** Parses `address/prefix` with ipaddr.js; undefined when either part is invalid. */
export const parseCidr = (value: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined => {
  const text = value.trim();
  try {
    // Pick the family first: ipaddr.parseCIDR tries IPv6 and throws on every IPv4 address (slow).
    return text.includes(':') ? ipaddr.IPv6.parseCIDR(text) : ipaddr.IPv4.parseCIDR(text);
  } catch {
    return undefined;
  }
};

/** An interface address with its prefix length, e.g. `10.0.1.5/24` or `2001:db8::5/64`; canonical text. */
export const IpWithPrefix = z.string().transform((value, ctx) => {
  const parsed = parseCidr(value);
  if (!parsed) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid IP address with prefix length '${value}' (expected e.g. 10.0.1.5/24)`,
      input: value,
    });
    return z.NEVER;
  }
  return `${parsed[0].toString()}/${parsed[1]}`;
});

/** A network in CIDR notation whose host bits are zero, e.g. `10.0.1.0/24`; canonical text. */
export const Cidr = z.string().transform((value, ctx) => {
  const parsed = parseCidr(value);
  if (!parsed) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid CIDR '${value}' (expected e.g. 10.0.1.0/24)`,
      input: value,
    });
    return z.NEVER;
  }
  const [address, prefix] = parsed;
  const network =
    address.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(value.trim())
      : ipaddr.IPv6.networkAddressFromCIDR(value.trim());
  if (network.toString() !== address.toString()) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid CIDR '${value}': host bits are set; did you mean ${network.toString()}/${prefix}?`,
      input: value,
    });
    return z.NEVER;
  }
  return `${address.toString()}/${prefix}`;
});

/** True when the host address of `ipWithPrefix` lies inside the network `cidr`. */
export const cidrContains = (cidr: string, ipWithPrefix: string): boolean => {
  const net = parseCidr(cidr);
  const ip =
    parseCidr(ipWithPrefix) ?? (ipaddr.isValid(ipWithPrefix) ? [ipaddr.parse(ipWithPrefix), 0] : undefined);
  if (!net || !ip || net[0].kind() !== ip[0].kind()) return false;
  return ip[0].match(net);
};

/** Number of addresses in a CIDR (as a number; IPv6 prefixes saturate at Number.MAX_VALUE). */
export const cidrSize = (cidr: string): number => {
  const parsed = parseCidr(cidr);
  if (!parsed) return 0;
  const bits = parsed[0].kind() === 'ipv4' ? 32 : 128;
  return 2 ** (bits - parsed[1]);
};

/** IEEE 802.1Q VLAN id, 1–4094 (0 and 4095 are reserved). */
export const VlanId = z
  .number({ error: 'VLAN id must be a number' })
  .int('VLAN id must be an integer')
  .min(1, 'VLAN id must be between 1 and 4094')
  .max(4094, 'VLAN id must be between 1 and 4094');

/** TCP/UDP port 1–65535. */
export const Port = z
  .number()
  .int('port must be an integer')
  .min(1, 'port must be 1–65535')
  .max(65535, 'port must be 1–65535');

/** A non-negative, finite capacity (cores may be fractional for containers). */
export const Capacity = z.number().finite().nonnegative('capacity must not be negative');

/** A ratio in [0, 1] (utilisation, error rate). */
export const Ratio = z
  .number()
  .min(0, 'ratio must be between 0 and 1')
  .max(1, 'ratio must be between 0 and 1');
