import { describe, expect, it } from 'vitest';
import { networkOf, planNetworks } from './plan-networks.js';

describe('networkOf', () => {
  it.each([
    ['10.0.1.77/24', '10.0.1.0/24'],
    ['172.16.5.9/12', '172.16.0.0/12'],
    ['2001:db8:1:2::5/64', '2001:db8:1:2::/64'],
    ['fd00::2/64', 'fd00::/64'],
    ['192.168.1.10/23', '192.168.0.0/23'],
    ['169.254.3.4/16', undefined],
    ['fe80::1/64', undefined],
    ['127.0.0.1/8', undefined],
    ['::1/128', undefined],
    ['10.128.0.5/32', undefined],
    ['not-an-ip/24', undefined],
  ])('networkOf(%s) = %s', (ip, network) => {
    expect(networkOf(ip)).toBe(network);
  });
});

describe('planNetworks', () => {
  const eth0 = { name: 'eth0', ips: ['10.0.1.5/24', '10.0.1.6/24', 'fe80::1/64'], kind: 'ethernet' as const };
  const eth1 = { name: 'eth1', ips: ['10.0.1.7/24', '10.0.2.7/24'], kind: 'ethernet' as const };

  it('defines each network once, skipping defined ones and link-local addresses', () => {
    const planned = planNetworks([eth0, eth1], new Set(['10.0.2.0/24']), undefined);
    expect(planned.map((c) => c.payload)).toEqual([{ name: '10.0.1.0/24', cidr: '10.0.1.0/24' }]);
    expect(planned[0]?.reason).toBe('new network on eth0 (10.0.1.5/24)');
  });

  it('sets the default gateway only on the network that contains it', () => {
    const planned = planNetworks([eth1], new Set(), '10.0.2.1');
    expect(planned.map((c) => c.payload)).toEqual([
      { name: '10.0.1.0/24', cidr: '10.0.1.0/24' },
      { name: '10.0.2.0/24', cidr: '10.0.2.0/24', gateway: '10.0.2.1' },
    ]);
  });
});
