import { cidrContains } from '@cim/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NetworkIndex } from './network-index.js';

const ID = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('NetworkIndex', () => {
  const index = NetworkIndex.of([
    [ID(3), '10.1.0.0/16'],
    [ID(2), '10.1.2.0/24'],
    [ID(1), '10.1.2.0/24'],
    [ID(4), '2001:db8::/32'],
  ]);

  it('picks the most specific containing network, ties by smallest id', () => {
    expect(index.networkFor('10.1.2.7/24')).toBe(ID(1));
    expect(index.networkFor('10.1.9.7/24')).toBe(ID(3));
    expect(index.networkFor('2001:db8:5::1/64')).toBe(ID(4));
    expect(index.networkFor('192.168.1.1/24')).toBeNull();
    expect(index.networkFor('10.1.2.7')).toBe(ID(1));
  });

  it('is immutable: with/without return new indexes', () => {
    const smaller = index.without(ID(1)).without(ID(2));
    expect(smaller.networkFor('10.1.2.7/24')).toBe(ID(3));
    expect(index.networkFor('10.1.2.7/24')).toBe(ID(1));
    expect(smaller.with(ID(9), '10.1.2.0/25').networkFor('10.1.2.7/24')).toBe(ID(9));
    expect(index.size).toBe(4);
  });

  it('agrees with a brute-force search by cidrContains', () => {
    const octet = fc.integer({ min: 0, max: 3 });
    const network = fc.tuple(octet, octet, fc.integer({ min: 8, max: 30 })).map(([a, b, prefix]) => {
      const bytes = [10, a, b, 0];
      const mask = prefix >= 32 ? 0xffffffff : ~(0xffffffff >>> prefix) >>> 0;
      const n = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8)) & mask;
      return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${prefix}`;
    });
    const address = fc
      .tuple(octet, octet, fc.integer({ min: 0, max: 255 }))
      .map(([a, b, c]) => `10.${a}.${b}.${c}/24`);
    fc.assert(
      fc.property(
        fc.array(network, { maxLength: 12 }),
        fc.array(address, { maxLength: 20 }),
        (cidrs, addresses) => {
          const entries = cidrs.map((cidr, i) => [ID(i), cidr] as const);
          const built = NetworkIndex.of(entries);
          for (const a of addresses) {
            const containing = entries
              .filter(([, cidr]) => cidrContains(cidr, a))
              .sort(
                ([ia, ca], [ib, cb]) =>
                  Number(cb.split('/')[1]) - Number(ca.split('/')[1]) || ia.localeCompare(ib),
              );
            expect(built.networkFor(a)).toBe(containing[0]?.[0] ?? null);
          }
        },
      ),
    );
  });
});
