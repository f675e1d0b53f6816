import { z } from 'zod';

/** The taxonomy of resource types, grouped by category; the strings are canonical. */
export const RESOURCE_TAXONOMY = {
  compute: ['physical_server', 'virtual_machine', 'container_host', 'hypervisor', 'container'],
  network: ['router', 'switch', 'layer3_switch', 'access_point', 'load_balancer'],
  security: ['firewall', 'ids', 'vpn_gateway', 'waf'],
  storage: ['storage_array', 'nas', 'san_switch'],
  edge: ['edge_device', 'iot_gateway', 'sensor'],
  power: ['pdu', 'ups', 'environmental_monitor'],
  telecom: ['pbx', 'video_conference'],
  appliance: ['appliance', 'backup_appliance', 'monitoring_appliance', 'auth_server'],
  other: ['other', 'unknown'],
} as const;

export type ResourceCategory = keyof typeof RESOURCE_TAXONOMY;
export type ResourceTypeName = (typeof RESOURCE_TAXONOMY)[ResourceCategory][number];

export const RESOURCE_CATEGORIES = Object.keys(RESOURCE_TAXONOMY) as ResourceCategory[];
export const RESOURCE_TYPES = Object.values(RESOURCE_TAXONOMY).flat() as ResourceTypeName[];

/** Common spellings operators and discovery tools use, mapped to canonical types. */
export const RESOURCE_TYPE_ALIASES: Readonly<Record<string, ResourceTypeName>> = {
  physical: 'physical_server',
  server: 'physical_server',
  bare_metal: 'physical_server',
  baremetal: 'physical_server',
  vm: 'virtual_machine',
  virtual: 'virtual_machine',
  kvm_guest: 'virtual_machine',
  docker_host: 'container_host',
  k8s_node: 'container_host',
  hypervisor_host: 'hypervisor',
  esxi: 'hypervisor',
  docker: 'container',
  pod: 'container',
  l3_switch: 'layer3_switch',
  multilayer_switch: 'layer3_switch',
  ap: 'access_point',
  wap: 'access_point',
  lb: 'load_balancer',
  fw: 'firewall',
  ips: 'ids',
  vpn: 'vpn_gateway',
  san: 'storage_array',
  iot: 'iot_gateway',
  iot_device: 'edge_device',
  power_distribution_unit: 'pdu',
  env_monitor: 'environmental_monitor',
  phone_system: 'pbx',
  video_conferencing: 'video_conference',
  backup: 'backup_appliance',
  monitoring: 'monitoring_appliance',
  radius: 'auth_server',
  ldap: 'auth_server',
};

const CATEGORY_OF = new Map<string, ResourceCategory>(
  RESOURCE_CATEGORIES.flatMap((category) =>
    RESOURCE_TAXONOMY[category].map((type) => [type, category] as const),
  ),
);

/** Canonical type for a canonical string or alias (case, spaces and hyphens ignored); undefined if unknown. */
export const canonicalResourceType = (input: string): ResourceTypeName | undefined => {
  const key = input
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return CATEGORY_OF.has(key) ? (key as ResourceTypeName) : RESOURCE_TYPE_ALIASES[key];
};

/** The category a canonical resource type belongs to. */
export const categoryOf = (type: ResourceTypeName): ResourceCategory => CATEGORY_OF.get(type) ?? 'other';

/** A resource type given as canonical string or alias, normalised to the canonical string. */
export const ResourceType = z.string().transform((value, ctx) => {
  const type = canonicalResourceType(value);
  if (type === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown resource type '${value}' (known: ${RESOURCE_TYPES.join(', ')})`,
      input: value,
    });
    return z.NEVER;
  }
  return type;
});
