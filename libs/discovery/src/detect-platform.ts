import { access, readFile } from 'node:fs/promises';
import type { Systeminformation } from 'systeminformation';
import type { PlatformFacts } from './facts.js';

/** What the platform decision looks at; gathered by {@link readPlatformMarkers}, decided by {@link decidePlatform}. */
export interface PlatformMarkers {
  /** `/run/.containerenv` exists. */
  containerEnvFile: boolean;
  /** `/.dockerenv` exists. */
  dockerEnvFile: boolean;
  /** The `container=` variable of PID 1, when readable (systemd's convention; lxc, podman, nspawn set it). */
  pid1ContainerVar?: string;
  /** `/proc/1/cgroup`, when readable. */
  pid1Cgroup?: string;
  /** Device and type of the filesystem mounted at `/`, e.g. `/dev/vda` `ext4`, or `overlay` `overlay`. */
  rootFs?: { fs: string; type: string };
  /** `si.system()`'s verdict (DMI, /dev/disk/by-id and dmesg based). */
  siVirtual: boolean;
  siVirtualHost?: string;
  /** DMI `sys_vendor` and `product_name`, read directly because si.system() overwrites the model with "Docker Container". */
  dmi?: string;
  /** The CPU reports the `hypervisor` flag (CPUID leaf 1, ECX bit 31, set by every hypervisor). */
  cpuHypervisorFlag: boolean;
}

const CONTAINER_CGROUP = /docker|kubepods|containerd|libpod|lxc|garden|crio/i;
const VM_DMI =
  /kvm|qemu|vmware|virtualbox|xen|hyper-v|virtual machine|bochs|parallels|amazon ec2|google compute/i;

/**
 * The resource type from the markers, strongest first. Container markers come before VM markers
 * because a container on a VM sees the VM's hypervisor too (si's dmesg check reads the host kernel).
 * `/.dockerenv` alone is weaker: it is baked into images, and images are sometimes booted as
 * microVMs (Firecracker); a root filesystem on a block device means the machine has its own kernel
 * and disk, so then it does not decide.
 */
export function decidePlatform(m: PlatformMarkers): PlatformFacts {
  const evidence: string[] = [];
  const decide = (
    resourceType: PlatformFacts['resourceType'],
    decidedBy: string,
    host?: string,
  ): PlatformFacts => ({
    resourceType,
    decidedBy,
    ...(host !== undefined && host !== '' && { host }),
    evidence: [...evidence, `decided by: ${decidedBy}`],
  });

  if (m.containerEnvFile) return decide('container', '/run/.containerenv exists (podman/buildah)', 'podman');
  evidence.push('/run/.containerenv absent');
  if (m.pid1ContainerVar)
    return decide('container', `PID 1 has container=${m.pid1ContainerVar}`, m.pid1ContainerVar);
  evidence.push('PID 1 has no container= variable (or its environment is unreadable)');
  const cgroup = m.pid1Cgroup?.match(CONTAINER_CGROUP)?.[0];
  if (cgroup) return decide('container', `/proc/1/cgroup names ${cgroup}`, cgroup.toLowerCase());
  evidence.push(`/proc/1/cgroup ${m.pid1Cgroup === undefined ? 'unreadable' : 'has no container path'}`);
  const rootOnDisk = m.rootFs?.fs.startsWith('/dev/') ?? false;
  if (m.dockerEnvFile) {
    if (!rootOnDisk)
      return decide('container', '/.dockerenv exists and / is not on a block device', 'docker');
    evidence.push(
      `/.dockerenv ignored: / is ${m.rootFs?.type} on ${m.rootFs?.fs}, an image booted with its own disk`,
    );
  }
  if (m.siVirtual)
    return decide('virtual_machine', `si.system().virtual (${m.siVirtualHost ?? '?'})`, m.siVirtualHost);
  evidence.push('si.system().virtual is false');
  const dmi = m.dmi?.match(VM_DMI)?.[0];
  if (dmi) return decide('virtual_machine', `DMI names ${dmi}`, dmi);
  evidence.push(`DMI ${m.dmi === undefined ? 'unreadable' : `'${m.dmi}' names no hypervisor`}`);
  if (m.cpuHypervisorFlag) return decide('virtual_machine', 'CPU flag hypervisor');
  evidence.push('no CPU hypervisor flag');
  return decide('physical_server', 'no container or hypervisor marker');
}

const readText = async (path: string): Promise<string | undefined> => {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
};

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/** Gathers {@link PlatformMarkers} from the files above and from si results the caller already has. */
export async function readPlatformMarkers(
  system: Systeminformation.SystemData,
  filesystems: readonly Systeminformation.FsSizeData[],
  cpuFlags: string,
): Promise<PlatformMarkers> {
  const [containerEnvFile, dockerEnvFile, environ, pid1Cgroup, vendor, product] = await Promise.all([
    exists('/run/.containerenv'),
    exists('/.dockerenv'),
    readText('/proc/1/environ'),
    readText('/proc/1/cgroup'),
    readText('/sys/class/dmi/id/sys_vendor'),
    readText('/sys/class/dmi/id/product_name'),
  ]);
  const pid1ContainerVar = environ
    ?.split('\0')
    .find((v) => v.startsWith('container='))
    ?.slice('container='.length);
  const root = filesystems.find((f) => f.mount === '/');
  const dmi = [vendor, product]
    .filter((s) => s !== undefined)
    .map((s) => s.trim())
    .join(' ');
  return {
    containerEnvFile,
    dockerEnvFile,
    ...(pid1ContainerVar !== undefined && { pid1ContainerVar }),
    ...(pid1Cgroup !== undefined && { pid1Cgroup }),
    ...(root && { rootFs: { fs: root.fs, type: root.type } }),
    siVirtual: system.virtual,
    ...(system.virtualHost !== undefined && { siVirtualHost: system.virtualHost }),
    ...(vendor !== undefined || product !== undefined ? { dmi } : {}),
    cpuHypervisorFlag: cpuFlags.split(/\s+/).includes('hypervisor'),
  };
}
