import type { NetworkInterface } from '@cim/contract';
import type { GeneratedResourceType } from './resource-profiles.js';

/** The networks (VLANs) of every site. */
export type NetworkRole = 'management' | 'server' | 'storage' | 'dmz' | 'container';

/** Roles in the order their NetworkDefined events are emitted. */
export const NETWORK_ROLES: readonly NetworkRole[] = ['management', 'server', 'storage', 'dmz', 'container'];

/** VLAN id of each network role (the same at every site, as VLANs are site-local). */
export const NETWORK_VLANS: Readonly<Record<NetworkRole, number>> = {
  management: 10,
  server: 20,
  storage: 30,
  dmz: 40,
  container: 50,
};

/** Port pools a device's interface is cabled to: switches, routers, or the host of a VM or container. */
export type PortPool = 'access' | 'core' | 'san' | 'router' | 'hypervisor' | 'container_host';

type InterfaceKind = NetworkInterface['kind'];

/** One interface every device of a type has. */
export interface InterfaceTemplate {
  readonly name: string;
  readonly kind: InterfaceKind;
  readonly speed: number;
  /** The network it has an address in. */
  readonly network?: NetworkRole;
  /** On the first device of this type in a site, it holds this network's gateway address. */
  readonly gatewayFor?: NetworkRole;
  /** The pool it is cabled to; unset for out-of-band and uncabled interfaces. */
  readonly uplink?: PortPool;
  /** Virtual interfaces sharing the device's MAC (switch VLAN interfaces) carry none. */
  readonly noMac?: boolean;
}

/** Ports a device offers to a pool: `{prefix}{first}`, `{prefix}{first + 1}`, …; the count is planned per site. */
export interface PortTemplate {
  readonly pool: PortPool;
  readonly prefix: string;
  readonly first: number;
  readonly kind: InterfaceKind;
  readonly speed: number;
  /** Fixed port count; unset when sized to the demand. */
  readonly count?: number;
}

/** Interfaces and offered ports of a device type. */
export interface DeviceTemplate {
  readonly interfaces: readonly InterfaceTemplate[];
  readonly ports?: PortTemplate;
}

const nic = (
  name: string,
  kind: InterfaceKind,
  speed: number,
  extra: Omit<InterfaceTemplate, 'name' | 'kind' | 'speed'> = {},
): InterfaceTemplate => ({ name, kind, speed, ...extra });

const mgmt = (name = 'mgmt0') => nic(name, 'ethernet', 1_000, { network: 'management' });
const svi = (role: NetworkRole) =>
  nic(`vlan${NETWORK_VLANS[role]}`, 'virtual', 100_000, { network: role, gatewayFor: role, noMac: true });
const toAccess = (name: string, network: NetworkRole, speed = 10_000) =>
  nic(name, 'ethernet', speed, { network, uplink: 'access' });

/** How every generated type is wired; see ARCHITECTURE §2 for interfaces and connections. */
export const DEVICE_TEMPLATES: Readonly<Record<GeneratedResourceType, DeviceTemplate>> = {
  router: {
    interfaces: [mgmt(), nic('wan0', 'fiber', 10_000), nic('wan1', 'fiber', 10_000)],
    ports: { pool: 'router', prefix: 'ge-0/0/', first: 0, kind: 'ethernet', speed: 10_000 },
  },
  firewall: {
    interfaces: [
      mgmt('mgmt'),
      nic('outside', 'ethernet', 10_000, { uplink: 'router' }),
      nic('inside', 'ethernet', 10_000, { uplink: 'core' }),
      nic('dmz', 'ethernet', 10_000, { network: 'dmz', gatewayFor: 'dmz', uplink: 'access' }),
    ],
  },
  layer3_switch: {
    interfaces: [mgmt(), svi('management'), svi('server'), svi('storage'), svi('container')],
    ports: { pool: 'core', prefix: 'Ethernet1/', first: 1, kind: 'fiber', speed: 100_000 },
  },
  switch: {
    interfaces: [
      mgmt(),
      nic('et-0/1/0', 'fiber', 40_000, { uplink: 'core' }),
      nic('et-0/1/1', 'fiber', 40_000, { uplink: 'core' }),
    ],
    ports: { pool: 'access', prefix: 'xe-0/0/', first: 0, kind: 'ethernet', speed: 10_000, count: 48 },
  },
  san_switch: {
    interfaces: [mgmt()],
    ports: { pool: 'san', prefix: 'Ethernet1/', first: 1, kind: 'fiber', speed: 25_000, count: 48 },
  },
  load_balancer: {
    interfaces: [
      mgmt('mgmt'),
      nic('eth1', 'fiber', 25_000, { network: 'server', uplink: 'core' }),
      toAccess('eth2', 'dmz'),
    ],
  },
  waf: { interfaces: [mgmt('mgmt'), toAccess('eth1', 'dmz')] },
  ids: { interfaces: [mgmt('mgmt'), nic('mon0', 'ethernet', 10_000, { uplink: 'core' })] },
  vpn_gateway: {
    interfaces: [
      mgmt('mgmt'),
      nic('outside', 'ethernet', 10_000, { uplink: 'router' }),
      toAccess('inside', 'dmz'),
    ],
  },
  storage_array: {
    interfaces: [
      toAccess('mgmt', 'management', 1_000),
      nic('ctrl-a', 'fiber', 25_000, { network: 'storage', uplink: 'san' }),
      nic('ctrl-b', 'fiber', 25_000, { network: 'storage', uplink: 'san' }),
    ],
  },
  nas: {
    interfaces: [
      toAccess('mgmt', 'management', 1_000),
      nic('bond0', 'bond', 25_000, { network: 'storage', uplink: 'san' }),
    ],
  },
  hypervisor: {
    interfaces: [
      mgmt('bmc'),
      toAccess('eno1', 'management', 25_000),
      nic('ens1f0', 'fiber', 25_000, { network: 'storage', uplink: 'san' }),
    ],
    ports: { pool: 'hypervisor', prefix: 'vnet', first: 0, kind: 'virtual', speed: 10_000 },
  },
  container_host: {
    interfaces: [
      mgmt('bmc'),
      toAccess('eno1', 'server', 25_000),
      nic('cni0', 'bridge', 10_000, { network: 'container' }),
    ],
    ports: { pool: 'container_host', prefix: 'veth', first: 0, kind: 'virtual', speed: 10_000 },
  },
  physical_server: {
    interfaces: [
      mgmt('bmc'),
      toAccess('eno1', 'server'),
      nic('ens1f0', 'fiber', 25_000, { network: 'storage', uplink: 'san' }),
    ],
  },
  virtual_machine: {
    interfaces: [nic('eth0', 'virtual', 10_000, { network: 'server', uplink: 'hypervisor' })],
  },
  container: {
    interfaces: [nic('eth0', 'virtual', 10_000, { network: 'container', uplink: 'container_host' })],
  },
  backup_appliance: {
    interfaces: [
      mgmt('mgmt'),
      toAccess('eth0', 'server'),
      nic('eth1', 'fiber', 25_000, { network: 'storage', uplink: 'san' }),
    ],
  },
  monitoring_appliance: { interfaces: [mgmt('mgmt'), toAccess('eth0', 'server')] },
  auth_server: { interfaces: [mgmt('mgmt'), toAccess('eth0', 'server')] },
  appliance: { interfaces: [mgmt('mgmt'), toAccess('eth0', 'server')] },
  pbx: { interfaces: [toAccess('eth0', 'server', 1_000)] },
  video_conference: { interfaces: [toAccess('eth0', 'server', 1_000)] },
  access_point: { interfaces: [toAccess('eth0', 'management', 2_500), nic('wlan0', 'wireless', 2_400)] },
  edge_device: { interfaces: [toAccess('eth0', 'management', 1_000)] },
  iot_gateway: { interfaces: [toAccess('eth0', 'management', 1_000), nic('wlan0', 'wireless', 300)] },
  sensor: { interfaces: [toAccess('eth0', 'management', 100)] },
  pdu: { interfaces: [toAccess('net0', 'management', 100)] },
  ups: { interfaces: [toAccess('net0', 'management', 100)] },
  environmental_monitor: { interfaces: [toAccess('net0', 'management', 100)] },
};

/** How many of a type's interfaces are cabled to `pool`. */
export const uplinksTo = (type: GeneratedResourceType, pool: PortPool): number =>
  DEVICE_TEMPLATES[type].interfaces.filter((i) => i.uplink === pool).length;
