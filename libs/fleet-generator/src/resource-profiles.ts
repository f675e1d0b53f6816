import type { ResourceTypeName } from '@cim/contract';

/** The resource types the generator produces: every canonical type except `other` and `unknown`. */
export type GeneratedResourceType = Exclude<ResourceTypeName, 'other' | 'unknown'>;

/** Which measured qualities a resource reports, and around which values. */
export type TelemetryClass = 'workload' | 'network' | 'storage' | 'facility';

/** Realistic attributes of one resource type; each list is a set of values to pick from. */
export interface ResourceProfile {
  /** Host name prefix, e.g. `fw` → `fw-0001.fra1.infra.internal`. */
  readonly prefix: string;
  /** Vendor prefix of its MAC addresses. */
  readonly oui: string;
  readonly os: readonly string[];
  readonly cpuCores: readonly number[];
  readonly memoryMb: readonly number[];
  readonly storageGb: readonly number[];
  readonly bandwidthMbps: readonly number[];
  readonly connectionLimit?: readonly number[];
  /** Redundant units (power supplies, controllers). */
  readonly redundancy: readonly number[];
  readonly telemetry: TelemetryClass;
  /** Racked hardware (gets a `rack` label); VMs and containers are not. */
  readonly racked: boolean;
}

const LINUX = [
  'Ubuntu 22.04.4 LTS',
  'Ubuntu 24.04.1 LTS',
  'Red Hat Enterprise Linux 9.4',
  'Rocky Linux 9.4',
  'Debian 12.7',
];
const GIB = 1024;

const p = (
  prefix: string,
  oui: string,
  os: readonly string[],
  telemetry: TelemetryClass,
  racked: boolean,
  cpuCores: readonly number[],
  memoryGb: readonly number[],
  storageGb: readonly number[],
  bandwidthMbps: readonly number[],
  redundancy: readonly number[],
  connectionLimit?: readonly number[],
): ResourceProfile => ({
  prefix,
  oui,
  os,
  telemetry,
  racked,
  cpuCores,
  memoryMb: memoryGb.map((g) => Math.round(g * GIB)),
  storageGb,
  bandwidthMbps,
  redundancy,
  ...(connectionLimit && { connectionLimit }),
});

/** Profiles of every generated type: capacities (cores, memory, storage, bandwidth), OS, vendor. */
// biome-ignore format: one row per type reads as a table
export const RESOURCE_PROFILES: Readonly<Record<GeneratedResourceType, ResourceProfile>> = {
  physical_server: p('srv', 'f8:bc:12', LINUX, 'workload', true, [16, 24, 32, 48, 64], [64, 128, 256, 512], [960, 1920, 3840, 7680], [10_000, 25_000], [2]),
  virtual_machine: p('vm', '00:50:56', LINUX, 'workload', false, [1, 2, 4, 8, 16], [1, 2, 4, 8, 16, 32], [20, 40, 80, 160, 500], [1_000, 10_000], [1]),
  container_host: p('k8s', '94:40:c9', ['Flatcar Container Linux 3975.2.2', 'Talos Linux 1.8.2', 'Ubuntu 22.04.4 LTS'], 'workload', true, [16, 32, 64], [64, 128, 256], [480, 960, 1920], [10_000, 25_000], [1, 2]),
  hypervisor: p('hv', '94:40:c9', ['VMware ESXi 8.0.3', 'Proxmox VE 8.2.7', 'Ubuntu 22.04.4 LTS (KVM)'], 'workload', true, [32, 48, 64, 96, 128], [256, 512, 1024], [3840, 7680, 15_360], [25_000], [2]),
  container: p('ctr', '02:42:ac', ['Alpine Linux 3.20', 'Debian 12 slim', 'distroless static'], 'workload', false, [0.25, 0.5, 1, 2, 4], [0.25, 0.5, 1, 2, 4], [1, 5, 10], [1_000], [1]),
  router: p('rtr', '00:05:85', ['Junos OS'], 'network', true, [4, 8, 16], [8, 16, 32], [16, 32, 64], [10_000, 40_000, 100_000], [2], [1_000_000, 4_000_000]),
  switch: p('sw', '28:99:3a', ['Arista EOS'], 'network', true, [2, 4], [4, 8], [8, 16], [480_000, 960_000, 1_760_000], [1, 2]),
  layer3_switch: p('core', '28:99:3a', ['Arista EOS'], 'network', true, [4, 8], [16, 32], [32, 64], [3_200_000, 6_400_000], [2]),
  access_point: p('ap', '20:4c:03', ['ArubaOS'], 'network', false, [1, 2], [0.5, 1], [1], [1_200, 2_400, 4_800], [1]),
  load_balancer: p('lb', '00:01:d7', ['F5 BIG-IP'], 'network', true, [8, 16, 32], [16, 32, 64], [128, 256], [10_000, 40_000, 100_000], [2], [2_000_000, 8_000_000, 20_000_000]),
  firewall: p('fw', '00:09:0f', ['FortiOS'], 'network', true, [4, 8, 16, 32], [8, 16, 64], [64, 128, 480], [5_000, 10_000, 20_000, 40_000], [2], [500_000, 2_000_000, 8_000_000]),
  ids: p('ids', 'f8:bc:12', ['Suricata 7.0.7 on Ubuntu 22.04'], 'network', true, [8, 16], [16, 32], [960, 1920], [10_000, 40_000], [1, 2]),
  vpn_gateway: p('vpn', '00:09:0f', ['FortiOS'], 'network', true, [4, 8], [8, 16], [64], [1_000, 5_000, 10_000], [1, 2], [5_000, 20_000]),
  waf: p('waf', '00:01:d7', ['F5 BIG-IP Advanced WAF'], 'network', true, [8, 16], [16, 32], [128], [10_000, 20_000], [2], [1_000_000]),
  storage_array: p('san', '00:a0:98', ['NetApp ONTAP'], 'storage', true, [16, 32, 48], [128, 256], [102_400, 204_800, 512_000, 1_024_000], [25_000, 100_000], [2]),
  nas: p('nas', '00:11:32', ['TrueNAS SCALE 24.04', 'Synology DSM 7.2'], 'storage', true, [4, 8, 16], [16, 32, 64], [20_480, 51_200, 102_400], [10_000, 25_000], [1, 2]),
  san_switch: p('fcsw', '00:05:33', ['Brocade Fabric OS'], 'network', true, [2, 4], [4, 8], [8, 16], [768_000, 1_536_000], [2]),
  edge_device: p('edge', 'dc:a6:32', ['Ubuntu Core 22'], 'facility', false, [2, 4], [2, 4, 8], [32, 64, 128], [1_000], [1]),
  iot_gateway: p('iotgw', 'dc:a6:32', ['Ubuntu Core 22', 'OpenWrt 23.05'], 'facility', false, [1, 2, 4], [1, 2], [16, 32], [100, 1_000], [1]),
  sensor: p('sens', '24:0a:c4', ['Zephyr 3.6'], 'facility', false, [1], [0.0625, 0.125, 0.25], [1], [10, 100], [1]),
  pdu: p('pdu', '00:c0:b7', ['APC Network Management Card 3'], 'facility', true, [1], [0.125, 0.25], [1], [100], [1, 2]),
  ups: p('ups', '00:c0:b7', ['APC Network Management Card 3'], 'facility', true, [1], [0.125, 0.25], [1], [100], [1, 2]),
  environmental_monitor: p('envmon', '00:c0:b7', ['NetBotz'], 'facility', true, [1], [0.125], [1], [100], [1]),
  pbx: p('pbx', '00:0b:82', ['Asterisk 20 on Debian 12'], 'workload', true, [4, 8], [8, 16], [256, 512], [1_000], [1], [500, 2_000]),
  video_conference: p('vc', '00:50:60', ['Cisco RoomOS 11.17'], 'workload', false, [4, 8], [8], [128], [1_000], [1]),
  appliance: p('appl', 'f8:bc:12', ['Appliance OS 5.2'], 'workload', true, [4, 8], [8, 16], [256, 512], [1_000, 10_000], [1]),
  backup_appliance: p('bkp', 'f8:bc:12', ['Veeam Hardened Repository (Ubuntu 22.04)'], 'storage', true, [16, 32], [64, 128], [102_400, 204_800], [10_000, 25_000], [2]),
  monitoring_appliance: p('mon', 'f8:bc:12', ['Ubuntu 24.04.1 LTS'], 'workload', true, [8, 16], [32, 64], [1920, 3840], [10_000], [1]),
  auth_server: p('auth', 'f8:bc:12', ['Red Hat Enterprise Linux 9.4'], 'workload', true, [4, 8], [8, 16], [240, 480], [1_000, 10_000], [1, 2]),
};
