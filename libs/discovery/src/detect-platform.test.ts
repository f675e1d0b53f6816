import { describe, expect, it } from 'vitest';
import { decidePlatform, type PlatformMarkers } from './detect-platform.js';

const bare: PlatformMarkers = {
  containerEnvFile: false,
  dockerEnvFile: false,
  pid1Cgroup: '0::/\n',
  rootFs: { fs: '/dev/nvme0n1p2', type: 'ext4' },
  siVirtual: false,
  dmi: 'Dell Inc. PowerEdge R650',
  cpuHypervisorFlag: false,
};

describe('decidePlatform', () => {
  it.each<[string, Partial<PlatformMarkers>, string, string]>([
    ['bare metal', {}, 'physical_server', 'no container or hypervisor marker'],
    ['podman', { containerEnvFile: true }, 'container', '/run/.containerenv exists (podman/buildah)'],
    ['lxc', { pid1ContainerVar: 'lxc' }, 'container', 'PID 1 has container=lxc'],
    [
      'kubernetes (cgroup v1)',
      { pid1Cgroup: '12:cpu:/kubepods/besteffort/pod1/abc' },
      'container',
      '/proc/1/cgroup names kubepods',
    ],
    [
      'docker',
      { dockerEnvFile: true, rootFs: { fs: 'overlay', type: 'overlay' } },
      'container',
      '/.dockerenv exists and / is not on a block device',
    ],
    [
      'docker on a VM',
      {
        dockerEnvFile: true,
        rootFs: { fs: 'overlay', type: 'overlay' },
        siVirtual: true,
        siVirtualHost: 'KVM',
      },
      'container',
      '/.dockerenv exists and / is not on a block device',
    ],
    [
      'image booted as microVM',
      {
        dockerEnvFile: true,
        rootFs: { fs: '/dev/vda', type: 'ext4' },
        siVirtual: true,
        siVirtualHost: 'KVM',
      },
      'virtual_machine',
      'si.system().virtual (KVM)',
    ],
    ['VMware by DMI', { dmi: 'VMware, Inc. VMware7,1' }, 'virtual_machine', 'DMI names VMware'],
    ['QEMU by DMI', { dmi: 'QEMU Standard PC (Q35 + ICH9, 2009)' }, 'virtual_machine', 'DMI names QEMU'],
    ['any hypervisor by CPU flag', { cpuHypervisorFlag: true }, 'virtual_machine', 'CPU flag hypervisor'],
  ])('%s', (_, markers, type, decidedBy) => {
    const platform = decidePlatform({ ...bare, ...markers });
    expect(platform.resourceType).toBe(type);
    expect(platform.decidedBy).toBe(decidedBy);
    expect(platform.evidence.at(-1)).toBe(`decided by: ${decidedBy}`);
  });

  it('says why /.dockerenv did not decide', () => {
    const p = decidePlatform({ ...bare, dockerEnvFile: true, rootFs: { fs: '/dev/vda', type: 'ext4' } });
    expect(p.evidence).toContain(
      '/.dockerenv ignored: / is ext4 on /dev/vda, an image booted with its own disk',
    );
  });
});
