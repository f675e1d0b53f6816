import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Cidr,
  cidrContains,
  cidrSize,
  Hostname,
  IpWithPrefix,
  MacAddress,
  Port,
  VlanId,
} from './value-objects.js';

const reason = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? '' : (r.error?.issues[0]?.message ?? '');

describe('value objects', () => {
  it('accepts RFC 1123 hostnames, lower-cased', () => {
    expect(Hostname.parse('Web-01.DC1.example.com')).toBe('web-01.dc1.example.com');
    expect(Hostname.parse('1host')).toBe('1host');
    for (const bad of ['', '-web', 'web-', 'we_b', 'a'.repeat(64), `${'a.'.repeat(127)}aa`, 'a..b']) {
      const r = Hostname.safeParse(bad);
      expect(r.success, bad).toBe(false);
      expect(reason(r)).toMatch(/invalid hostname/);
    }
  });

  it('normalises MACs from every common form', () => {
    for (const mac of ['AA:BB:CC:DD:EE:FF', 'aa-bb-cc-dd-ee-ff', 'aabb.ccdd.eeff']) {
      expect(MacAddress.parse(mac)).toBe('aa:bb:cc:dd:ee:ff');
    }
    expect(reason(MacAddress.safeParse('aa:bb:cc:dd:ee'))).toBe("invalid MAC address 'aa:bb:cc:dd:ee'");
  });

  it('parses addresses with prefix and networks', () => {
    expect(IpWithPrefix.parse('10.0.1.5/24')).toBe('10.0.1.5/24');
    expect(IpWithPrefix.parse('2001:DB8::5/64')).toBe('2001:db8::5/64');
    expect(IpWithPrefix.safeParse('10.0.1.5/33').success).toBe(false);
    expect(IpWithPrefix.safeParse('10.0.1.5').success).toBe(false);
    expect(Cidr.parse('10.0.1.0/24')).toBe('10.0.1.0/24');
    expect(reason(Cidr.safeParse('10.0.1.5/24'))).toMatch(/host bits are set; did you mean 10.0.1.0\/24/);
    expect(reason(Cidr.safeParse('300.0.0.0/8'))).toMatch(/invalid CIDR/);
  });

  it('knows which addresses a network contains', () => {
    expect(cidrContains('10.0.1.0/24', '10.0.1.200/24')).toBe(true);
    expect(cidrContains('10.0.1.0/24', '10.0.2.1/24')).toBe(false);
    expect(cidrContains('10.0.1.0/24', '2001:db8::1/64')).toBe(false);
    expect(cidrContains('2001:db8::/32', '2001:db8:1::1/64')).toBe(true);
    expect(cidrSize('10.0.1.0/24')).toBe(256);
  });

  it('every IPv4 address inside a random network is contained, and none outside', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 8, max: 30 }), (ip, prefix) => {
        const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number];
        const n = (((a << 24) | (b << 16) | (c << 8) | d) >>> 0) & (~0 << (32 - prefix));
        const text = (x: number) => [x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255].join('.');
        const cidr = `${text(n >>> 0)}/${prefix}`;
        expect(Cidr.parse(cidr)).toBe(cidr);
        expect(cidrContains(cidr, `${ip}/${prefix}`)).toBe(true);
        const outside = (n + 2 ** (32 - prefix)) >>> 0;
        if (outside > n) expect(cidrContains(cidr, `${text(outside)}/${prefix}`)).toBe(false);
      }),
    );
  });

  it('bounds VLANs and ports', () => {
    expect(VlanId.parse(1)).toBe(1);
    expect(VlanId.parse(4094)).toBe(4094);
    for (const bad of [0, 4095, 1.5, -1]) expect(VlanId.safeParse(bad).success, String(bad)).toBe(false);
    expect(reason(VlanId.safeParse(4095))).toBe('VLAN id must be between 1 and 4094');
    expect(Port.safeParse(0).success).toBe(false);
    expect(Port.safeParse(65535).success).toBe(true);
  });
});
