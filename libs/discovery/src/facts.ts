/**
 * What discovery learned about the machine it runs on. Facts are plain JSON (recordable as fixtures)
 * and complete: every installed package is listed here; which of them become software aggregates is
 * the planner's decision (see `planCommands`), not the collector's.
 */
export interface Facts {
  /** When collection finished (ISO-8601 UTC); the measurement's `measured_at`. */
  collectedAt: string;
  /** `os.hostname()` as the OS reports it (the planner lower-cases it, as the contract does). */
  hostname: string;
  platform: PlatformFacts;
  cpu: CpuFacts;
  /** Total memory in MB (MiB, as `/proc/meminfo` MemTotal / 1024, rounded). */
  memoryMb: number;
  storage: StorageFacts;
  os: OsFacts;
  /** Network interfaces, sorted by name; loopback and `veth*` left out by default. */
  interfaces: InterfaceFacts[];
  /** The default IPv4/IPv6 gateway, when there is one. */
  defaultGateway?: string;
  /** Sockets in LISTEN state, one entry per protocol/address/port. */
  services: ListeningService[];
  /** Every package of every package manager found on the machine. */
  software: InstalledSoftware[];
  /** Which package managers were looked at and what they gave. */
  softwareManagers: SoftwareManagerFacts[];
  utilization: UtilizationFacts;
}

/** The resource types discovery can tell apart from inside the machine. */
export type DiscoveredResourceType = 'physical_server' | 'virtual_machine' | 'container';

export interface PlatformFacts {
  resourceType: DiscoveredResourceType;
  /** The marker that decided, e.g. `/run/.containerenv exists` or `si.system().virtual (KVM)`. */
  decidedBy: string;
  /** The hypervisor or container engine when known, e.g. `KVM`, `docker`. */
  host?: string;
  /** Every marker looked at, decisive or not, for `--json` and for debugging a wrong guess. */
  evidence: string[];
}

export interface CpuFacts {
  /** Logical CPUs the OS schedules on (`os.cpus().length`). */
  cores: number;
  /** e.g. `AMD EPYC`. */
  model: string;
  /** Base clock in GHz, when reported. */
  speedGhz?: number;
}

export interface StorageFacts {
  /** Total capacity in GB (10^9 bytes, rounded). */
  totalGb: number;
  /**
   * `block-devices`: the sum of whole disks the kernel shows (lsblk type `disk`, without zram, ram
   * and loop devices, whose "capacity" is memory or a file on another disk). `filesystems`: the sum of
   * mounted local filesystems, used when no disk is visible (typical inside containers).
   */
  source: 'block-devices' | 'filesystems';
}

export interface OsFacts {
  /** e.g. `Debian GNU/Linux`. */
  distro: string;
  /** e.g. `12`. */
  release: string;
  codename?: string;
  /** e.g. `6.1.0-18-amd64`. */
  kernel: string;
  arch: string;
}

export interface InterfaceFacts {
  name: string;
  /** Lower-case colon form; absent for interfaces without a hardware address (tun, wireguard). */
  mac?: string;
  /** Addresses with prefix length, e.g. `192.0.2.2/24`, `fd00::2/64`. */
  ips: string[];
  kind: 'ethernet' | 'wireless' | 'virtual' | 'loopback' | 'bond' | 'bridge' | 'other';
  /** Link speed in Mbit/s, when the driver reports one. */
  speedMbps?: number;
  /** `up`, `down`, `unknown` as the kernel reports it. */
  operstate: string;
}

export interface ListeningService {
  protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  /** Local address, e.g. `0.0.0.0`, `127.0.0.1`, `::`. */
  address: string;
  port: number;
  /** Absent when the process is not visible (another user's process without root). */
  pid?: number;
  /** Process name, e.g. `nats-server`. */
  process?: string;
  /** Resolved path of the process's executable (`/proc/<pid>/exe`). */
  executable?: string;
  /** The package owning the executable, e.g. `{ manager: 'dpkg', name: 'nats-server' }`. */
  package?: { manager: SoftwareManager; name: string };
  /**
   * True when the port lies in the kernel's ephemeral range (`ip_local_port_range`): most likely
   * picked by the kernel for a bind to port 0, so it changes on every restart.
   */
  ephemeral: boolean;
}

/** Package managers discovery reads. */
export type SoftwareManager = 'dpkg' | 'npm';

export interface InstalledSoftware {
  manager: SoftwareManager;
  name: string;
  version: string;
}

export interface SoftwareManagerFacts {
  manager: SoftwareManager;
  /** False when the manager's command is not installed; then `count` is 0. */
  available: boolean;
  count: number;
  /** Why listing failed although the command exists. */
  error?: string;
}

/** Utilization over a short sampling window (ratios in [0, 1]). */
export interface UtilizationFacts {
  /** Share of CPU time not idle during the window. */
  cpu: number;
  /** (total − available) / total memory. */
  memory: number;
  /** used / (used + available) over local filesystems, as `df` computes Use%. */
  disk: number;
  /** Received plus sent over non-loopback interfaces during the window, in Mbit/s. */
  networkMbps: number;
  uptimeSeconds: number;
  /** Length of the sampling window in ms. */
  sampleMs: number;
}
