import { describe, expect, it } from 'vitest';
import { QUALITIES } from './domains.js';
import { CAPACITY_QUALITIES, isVirtualMac, MEASURED_QUALITIES, virtualNicEvidence } from './qualities.js';

describe('qualities', () => {
  it('list capacity and measured fields exactly as the quality table says', () => {
    const of = (source: string) =>
      Object.entries(QUALITIES)
        .filter(([, q]) => q.source === source)
        .map(([k]) => k);
    expect([...CAPACITY_QUALITIES].sort()).toEqual(of('capacity').sort());
    expect([...MEASURED_QUALITIES].sort()).toEqual(of('measurement').sort());
  });

  it('recognise MACs that hypervisors and container runtimes assign', () => {
    expect(isVirtualMac('00:50:56:01:02:03')).toBe(true); // VMware
    expect(isVirtualMac('52:54:00:01:02:03')).toBe(true); // QEMU/KVM
    expect(isVirtualMac('02:42:ac:11:00:02')).toBe(true); // Docker, locally administered
    expect(isVirtualMac('f8:bc:12:01:02:03')).toBe(false); // Dell
  });

  it('call a resource virtual only when none of its MACs is burned in', () => {
    expect(virtualNicEvidence([{ name: 'eth0', mac: '00:50:56:01:02:03', ips: [], kind: 'virtual' }])).toBe(
      1,
    );
    expect(
      virtualNicEvidence([
        { name: 'eno1', mac: 'f8:bc:12:01:02:03', ips: [], kind: 'ethernet' },
        { name: 'vnet0', mac: 'fe:54:00:01:02:03', ips: [], kind: 'virtual' },
      ]),
    ).toBe(0);
    expect(virtualNicEvidence([{ name: 'lo', ips: [], kind: 'loopback' }])).toBeUndefined();
  });
});
