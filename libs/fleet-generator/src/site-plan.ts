import type { NetworkInterface, PayloadInputOf, PayloadOf } from '@cim/contract';
import type { NetworkRole } from './interface-templates.js';
import type { GeneratedResourceType } from './resource-profiles.js';
import type { SoftwareSpec, WorkloadRole } from './software-catalog.js';

/** How a planted anomalous resource misbehaves in its measurements. */
export type AnomalyKind = 'cpu_saturation' | 'error_storm' | 'latency_spike' | 'memory_leak' | 'flapping';

/** Every anomaly kind, in the order they are dealt out. */
export const ANOMALY_KINDS: readonly AnomalyKind[] = [
  'cpu_saturation',
  'error_storm',
  'latency_spike',
  'memory_leak',
  'flapping',
];

/** A VLAN of a site. */
export interface PlannedNetwork {
  readonly id: string;
  readonly role: NetworkRole;
  readonly definition: PayloadInputOf<'NetworkDefined'> & { cidr: string; vlan_id: number; name: string };
}

/** A resource with everything its ComputeRegistered event says. */
export interface PlannedResource {
  /** Position in the fleet, 0-based, in registration order. */
  readonly index: number;
  readonly id: string;
  readonly type: GeneratedResourceType;
  readonly hostname: string;
  readonly site: string;
  readonly role?: WorkloadRole;
  readonly anomaly?: AnomalyKind;
  readonly registration: PayloadInputOf<'ComputeRegistered'> & { interfaces: NetworkInterface[] };
}

/** One end of a cable or virtual link. */
export interface PlannedEndpoint {
  readonly resourceIndex: number;
  readonly resourceId: string;
  readonly iface: string;
  readonly kind: NetworkInterface['kind'];
  readonly speed: number;
}

/** A connection between two interfaces. */
export interface PlannedLink {
  readonly id: string;
  readonly a: PlannedEndpoint;
  readonly b: PlannedEndpoint;
  readonly medium: PayloadOf<'ConnectionEstablished'>['medium'];
  readonly speed: number;
}

/** A software installation on a resource, at one release of its spec. */
export interface PlannedInstallation {
  readonly id: string;
  readonly resourceIndex: number;
  readonly resourceId: string;
  readonly spec: SoftwareSpec;
  readonly versionIndex: number;
}

/** A policy and the resources (fleet indices and ids) it targets. */
export interface PlannedPolicy {
  readonly id: string;
  readonly targets: readonly number[];
  readonly definition: PayloadInputOf<'PolicySet'> & { target_ids: string[] };
}

/** Everything one site contributes to the inventory, in emission order. */
export interface SitePlan {
  readonly index: number;
  readonly name: string;
  readonly networks: readonly PlannedNetwork[];
  readonly resources: readonly PlannedResource[];
  readonly links: readonly PlannedLink[];
  readonly installations: readonly PlannedInstallation[];
  readonly policies: readonly PlannedPolicy[];
}

const CITIES = [
  'fra',
  'ams',
  'lon',
  'par',
  'dub',
  'mad',
  'mil',
  'zrh',
  'vie',
  'waw',
  'sto',
  'hel',
  'osl',
  'cph',
  'bru',
  'nyc',
  'iad',
  'atl',
  'chi',
  'dfw',
  'den',
  'phx',
  'sfo',
  'sea',
  'yyz',
  'mex',
  'gru',
  'scl',
  'bog',
  'jnb',
  'dxb',
  'bom',
  'del',
  'sin',
  'hkg',
  'tyo',
  'osa',
  'icn',
  'syd',
  'mel',
];

/** Site code of the n-th site: `fra1`, `ams1`, … then `fra2`, … */
export const siteName = (index: number): string =>
  `${CITIES[index % CITIES.length]}${Math.floor(index / CITIES.length) + 1}`;
