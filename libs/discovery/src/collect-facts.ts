import si, { type Systeminformation } from 'systeminformation';
import { collectInterfaces, type InterfaceOptions } from './collect-interfaces.js';
import { collectServices } from './collect-services.js';
import { collectSoftware } from './collect-software.js';
import { collectUtilization, DEFAULT_SAMPLE_MS, localFilesystems } from './collect-utilization.js';
import { decidePlatform, readPlatformMarkers } from './detect-platform.js';
import type { DiscoveredResourceType, Facts, SoftwareManager, StorageFacts } from './facts.js';

/** Package managers read by default; an absent one is skipped and reported as unavailable. */
export const DEFAULT_SOFTWARE_MANAGERS: readonly SoftwareManager[] = ['dpkg', 'npm'];

/** Options of {@link collectFacts}; every field has a default. */
export interface CollectFactsOptions {
  /** Which interfaces and addresses to keep (defaults: no loopback, no link-local, no `veth*`). */
  interfaces?: InterfaceOptions;
  /** Package managers to list. Default {@link DEFAULT_SOFTWARE_MANAGERS}. */
  softwareManagers?: readonly SoftwareManager[];
  /** CPU and network sampling window in ms. Default {@link DEFAULT_SAMPLE_MS}. */
  sampleMs?: number;
  /** Time limit of each package-manager command in ms. Default 30 000. */
  commandTimeoutMs?: number;
}

const GB = 1e9;
const NOT_A_DISK = /^(zram|ram|loop)/;

/**
 * Capacity as the machine itself would state it: the whole disks of a server or VM (partitions and
 * free space included), but the filesystems of a container, because a container sees its host's
 * disks in sysfs without owning them.
 */
function storageOf(
  resourceType: DiscoveredResourceType,
  blockDevices: readonly Systeminformation.BlockDevicesData[],
  filesystems: readonly Systeminformation.FsSizeData[],
): StorageFacts {
  const disks = blockDevices.filter((d) => d.type === 'disk' && d.size > 0 && !NOT_A_DISK.test(d.name));
  if (resourceType !== 'container' && disks.length > 0) {
    return { totalGb: Math.round(disks.reduce((s, d) => s + d.size, 0) / GB), source: 'block-devices' };
  }
  const total = localFilesystems(filesystems).reduce((s, f) => s + f.size, 0);
  return { totalGb: Math.round(total / GB), source: 'filesystems' };
}

/**
 * Reads the machine this process runs on with systeminformation (plus the few files and commands it
 * does not cover: platform markers, all addresses of an interface, package managers). Takes about
 * `sampleMs` plus the slowest package manager (npm: 1–2 s).
 */
export async function collectFacts(options: CollectFactsOptions = {}): Promise<Facts> {
  const managers = options.softwareManagers ?? DEFAULT_SOFTWARE_MANAGERS;
  const [system, cpu, cpuFlags, mem, osInfo, siInterfaces, filesystems, blockDevices, connections, gateway] =
    await Promise.all([
      si.system(),
      si.cpu(),
      si.cpuFlags(),
      si.mem(),
      si.osInfo(),
      si.networkInterfaces(),
      si.fsSize(),
      si.blockDevices(),
      si.networkConnections(),
      si.networkGatewayDefault(),
    ]);
  const [platform, interfaces, services, listings, utilization] = await Promise.all([
    readPlatformMarkers(system, filesystems, cpuFlags).then(decidePlatform),
    collectInterfaces(siInterfaces, options.interfaces),
    collectServices(connections, {
      dpkg: managers.includes('dpkg'),
      ...(options.commandTimeoutMs !== undefined && { timeoutMs: options.commandTimeoutMs }),
    }),
    collectSoftware(managers, options.commandTimeoutMs),
    collectUtilization(filesystems, options.sampleMs ?? DEFAULT_SAMPLE_MS),
  ]);
  return {
    collectedAt: new Date().toISOString(),
    hostname: osInfo.hostname,
    platform,
    cpu: {
      cores: cpu.cores,
      model: `${cpu.manufacturer} ${cpu.brand}`.trim(),
      ...(cpu.speed > 0 && { speedGhz: cpu.speed }),
    },
    memoryMb: Math.round(mem.total / 1024 / 1024),
    storage: storageOf(platform.resourceType, blockDevices, filesystems),
    os: {
      distro: osInfo.distro,
      release: osInfo.release,
      ...(osInfo.codename !== '' && { codename: osInfo.codename }),
      kernel: osInfo.kernel,
      arch: osInfo.arch,
    },
    interfaces,
    ...(gateway !== '' && { defaultGateway: gateway }),
    services,
    software: listings.flatMap((l) => l.software),
    softwareManagers: listings.map((l) => l.facts),
    utilization,
  };
}
