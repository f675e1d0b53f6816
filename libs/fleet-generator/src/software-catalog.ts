import type { PayloadOf } from '@cim/contract';
import type { GeneratedResourceType } from './resource-profiles.js';

type SoftwareKind = PayloadOf<'SoftwareConfigured'>['kind'];

/** What a workload (VM, physical server, container) is for; picks its software and labels. */
export type WorkloadRole = 'web' | 'app' | 'db' | 'cache' | 'queue' | 'ci' | 'batch';

/** Roles with their relative frequency. */
export const WORKLOAD_ROLES: ReadonlyArray<readonly [WorkloadRole, weight: number]> = [
  ['web', 25],
  ['app', 30],
  ['db', 10],
  ['cache', 10],
  ['queue', 5],
  ['ci', 5],
  ['batch', 15],
];

/** A piece of software with its release history, oldest first; upgrades move one release forward. */
export interface SoftwareSpec {
  readonly name: string;
  readonly kind: SoftwareKind;
  readonly ports: readonly number[];
  readonly versions: readonly string[];
  readonly config: Readonly<Record<string, unknown>>;
}

const sw = (
  name: string,
  kind: SoftwareKind,
  ports: readonly number[],
  versions: readonly string[],
  config: Record<string, unknown> = {},
): SoftwareSpec => ({ name, kind, ports, versions, config });

/** The software the generator installs. */
export const SOFTWARE = {
  nginx: sw('nginx', 'service', [80, 443], ['1.24.0', '1.25.5', '1.26.2', '1.27.3'], {
    worker_processes: 'auto',
  }),
  node: sw('node', 'package', [3000], ['18.20.4', '20.18.1', '22.11.0', '22.12.0']),
  temurin: sw('temurin-jdk', 'package', [8080], ['17.0.12', '21.0.4', '21.0.5']),
  postgresql: sw('postgresql', 'service', [5432], ['14.13', '15.8', '16.4', '16.6', '17.2'], {
    max_connections: 200,
  }),
  redis: sw('redis', 'service', [6379], ['7.0.15', '7.2.6', '7.4.1'], { maxmemory_policy: 'allkeys-lru' }),
  kafka: sw('kafka', 'service', [9092, 9093], ['3.6.2', '3.7.1', '3.8.1', '3.9.0'], { 'num.partitions': 12 }),
  gitlabRunner: sw('gitlab-runner', 'service', [], ['17.3.1', '17.4.0', '17.5.2']),
  python: sw('python', 'package', [], ['3.10.15', '3.11.10', '3.12.7', '3.13.0']),
  openssh: sw('openssh', 'service', [22], ['9.3p2', '9.6p1', '9.8p1', '9.9p1'], {
    password_authentication: false,
  }),
  containerd: sw('containerd', 'service', [], ['1.7.22', '1.7.23', '2.0.0']),
  kubelet: sw('kubelet', 'service', [10250], ['1.29.10', '1.30.6', '1.31.2']),
  openldap: sw('openldap', 'service', [389, 636], ['2.5.18', '2.6.7', '2.6.8']),
  prometheus: sw('prometheus', 'service', [9090], ['2.53.2', '2.54.1', '2.55.1', '3.0.0'], {
    retention: '30d',
  }),
  grafana: sw('grafana', 'service', [3000], ['10.4.10', '11.2.2', '11.3.1']),
  veeam: sw('veeam-backup', 'service', [9392], ['12.1.2', '12.2.0', '12.3.0']),
  asterisk: sw('asterisk', 'service', [5060], ['20.9.3', '20.10.0', '22.0.0']),
  junos: sw('junos', 'firmware', [], ['23.2R2', '23.4R1', '23.4R2', '24.2R1']),
  eos: sw('eos', 'firmware', [], ['4.31.3M', '4.32.2F', '4.32.3M', '4.33.1F']),
  arubaos: sw('arubaos', 'firmware', [], ['10.5.1.0', '10.6.0.0', '10.6.0.2']),
  fortios: sw('fortios', 'firmware', [443], ['7.2.9', '7.4.4', '7.4.5', '7.6.0']),
  bigip: sw('big-ip', 'firmware', [443], ['16.1.5', '17.1.1', '17.1.2']),
  ontap: sw('ontap', 'firmware', [443], ['9.14.1', '9.15.1', '9.16.1']),
  fabricOs: sw('fabric-os', 'firmware', [], ['9.1.1', '9.2.1', '9.2.2']),
  nmc: sw('nmc3', 'firmware', [443], ['3.0.4', '3.1.0', '3.2.1']),
} as const satisfies Record<string, SoftwareSpec>;

const S = SOFTWARE;

const ROLE_SOFTWARE: Readonly<Record<WorkloadRole, readonly SoftwareSpec[]>> = {
  web: [S.nginx],
  app: [S.node, S.temurin],
  db: [S.postgresql],
  cache: [S.redis],
  queue: [S.kafka],
  ci: [S.gitlabRunner],
  batch: [S.python],
};

const IMAGE_PORT: Readonly<Record<WorkloadRole, readonly number[]>> = {
  web: [8080],
  app: [3000],
  db: [5432],
  cache: [6379],
  queue: [9092],
  ci: [],
  batch: [],
};

const IMAGE_VERSIONS = ['1.4.0', '1.4.1', '1.5.0', '1.6.0', '1.6.1', '2.0.0'];

const BY_TYPE: Partial<Record<GeneratedResourceType, readonly SoftwareSpec[]>> = {
  router: [S.junos],
  switch: [S.eos],
  layer3_switch: [S.eos],
  access_point: [S.arubaos],
  firewall: [S.fortios],
  vpn_gateway: [S.fortios],
  load_balancer: [S.bigip],
  waf: [S.bigip],
  storage_array: [S.ontap],
  san_switch: [S.fabricOs],
  pdu: [S.nmc],
  ups: [S.nmc],
  hypervisor: [S.openssh],
  container_host: [S.containerd, S.kubelet],
  auth_server: [S.openldap, S.openssh],
  monitoring_appliance: [S.prometheus, S.grafana],
  backup_appliance: [S.veeam],
  pbx: [S.asterisk],
};

/** The image a container of each role runs, e.g. `registry.internal/web-svc`. */
const CONTAINER_IMAGES = Object.fromEntries(
  WORKLOAD_ROLES.map(([role]) => [
    role,
    sw(`registry.internal/${role}-svc`, 'container_image', IMAGE_PORT[role], IMAGE_VERSIONS),
  ]),
) as Readonly<Record<WorkloadRole, SoftwareSpec>>;

/**
 * What a resource runs: firmware on network, storage and power devices, services on appliances and
 * hosts, the role's service plus openssh on VMs and physical servers, one image in a container.
 * `alternative` (0 or 1) picks between equivalent stacks, e.g. node or a JDK for `app`.
 */
export const softwareFor = (
  type: GeneratedResourceType,
  role: WorkloadRole | undefined,
  alternative: number,
): SoftwareSpec[] => {
  if (role === undefined) return [...(BY_TYPE[type] ?? [])];
  if (type === 'container') return [CONTAINER_IMAGES[role]];
  const stacks = ROLE_SOFTWARE[role];
  const service = stacks[alternative % stacks.length] as SoftwareSpec;
  return [service, S.openssh];
};
