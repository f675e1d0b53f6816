import { cidrSize } from '@cim/contract';
import { describe, expect, it } from 'vitest';
import { isFleetGeneratorError } from './errors.js';
import { blockSize, Ipv4BlockAllocator, ipv4ToString, prefixForHosts } from './ipv4.js';

describe('ipv4', () => {
  it('formats addresses as dotted quads', () => {
    expect(ipv4ToString(10 * 2 ** 24 + 1)).toBe('10.0.0.1');
    expect(ipv4ToString(2 ** 32 - 1)).toBe('255.255.255.255');
  });

  it('sizes a prefix for the hosts plus network, gateway and broadcast, at most /28', () => {
    for (let hosts = 0; hosts < 5_000; hosts += 7) {
      const prefix = prefixForHosts(hosts);
      expect(blockSize(prefix) - 3).toBeGreaterThanOrEqual(hosts);
      if (prefix < 28) expect(blockSize(prefix + 1) - 3).toBeLessThan(hosts);
    }
    expect(cidrSize(`10.0.0.0/${prefixForHosts(13)}`)).toBe(16);
    expect(prefixForHosts(14)).toBe(27);
  });

  it('allocates aligned, non-overlapping blocks in order', () => {
    const allocator = new Ipv4BlockAllocator();
    const blocks = [28, 24, 26, 23, 28].map((p) => [allocator.allocate(p), blockSize(p)] as const);
    for (const [start, size] of blocks) expect(start % size).toBe(0);
    const sorted = [...blocks].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]![0]).toBeGreaterThanOrEqual(sorted[i - 1]![0] + sorted[i - 1]![1]);
  });

  it('fails with ADDRESS_SPACE_EXHAUSTED when the range is used up', () => {
    const allocator = new Ipv4BlockAllocator(0, 256);
    allocator.allocate(25);
    allocator.allocate(25);
    try {
      allocator.allocate(28);
      expect.unreachable();
    } catch (e) {
      expect(isFleetGeneratorError(e) && e.code).toBe('ADDRESS_SPACE_EXHAUSTED');
    }
  });
});
