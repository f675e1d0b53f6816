import type { PayloadInputOf } from '@cim/contract';
import type { GeneratedResourceType } from './resource-profiles.js';
import type { PlannedPolicy, PlannedResource } from './site-plan.js';

/** Most targets one policy lists; larger sites cover their first resources only. */
export const MAX_POLICY_TARGETS = 500;

type PolicyKind = PayloadInputOf<'PolicySet'>['kind'];

interface PolicyTemplate {
  readonly suffix: string;
  readonly kind: PolicyKind;
  readonly enforcement: 'enforce' | 'audit';
  readonly rules: Readonly<Record<string, unknown>>;
  readonly targets: (r: PlannedResource) => boolean;
}

const ofType =
  (...types: GeneratedResourceType[]) =>
  (r: PlannedResource) =>
    types.includes(r.type);

const TEMPLATES: readonly PolicyTemplate[] = [
  {
    suffix: 'patching',
    kind: 'patching',
    enforcement: 'enforce',
    rules: { window: 'Sun 02:00-04:00 UTC', reboot: 'if-required', max_parallel: 10 },
    targets: ofType('physical_server', 'virtual_machine', 'hypervisor', 'container_host', 'auth_server'),
  },
  {
    suffix: 'backup',
    kind: 'backup',
    enforcement: 'enforce',
    rules: { schedule: 'daily 01:00 UTC', retention_days: 30, immutable: true },
    targets: (r) => r.role === 'db' || ofType('storage_array', 'nas', 'hypervisor')(r),
  },
  {
    suffix: 'perimeter',
    kind: 'security',
    enforcement: 'enforce',
    rules: { default_inbound: 'deny', allow: ['tcp/80', 'tcp/443'], geo_block: ['none'] },
    targets: (r) =>
      r.registration.labels?.zone === 'dmz' || ofType('firewall', 'waf', 'vpn_gateway', 'load_balancer')(r),
  },
  {
    suffix: 'monitoring',
    kind: 'monitoring',
    enforcement: 'audit',
    rules: { interval_seconds: 60, alert_on: ['down', 'error_rate>0.05'] },
    targets: ofType(
      'router',
      'switch',
      'layer3_switch',
      'firewall',
      'load_balancer',
      'san_switch',
      'storage_array',
    ),
  },
];

/** The policies of a site: patching, backup, perimeter security and monitoring, each only if it has targets. */
export const planPolicies = (
  site: string,
  resources: readonly PlannedResource[],
  newId: () => string,
): PlannedPolicy[] =>
  TEMPLATES.flatMap((t) => {
    const targets = resources.filter(t.targets).slice(0, MAX_POLICY_TARGETS);
    if (targets.length === 0) return [];
    return [
      {
        id: newId(),
        targets: targets.map((r) => r.index),
        definition: {
          name: `${site}-${t.suffix}`,
          kind: t.kind,
          target_ids: targets.map((r) => r.id),
          enforcement: t.enforcement,
          rules: { ...t.rules },
        },
      },
    ];
  });
