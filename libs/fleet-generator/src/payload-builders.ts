import type { PayloadInputOf } from '@cim/contract';
import type { PlannedEndpoint } from './site-plan.js';
import type { SoftwareSpec } from './software-catalog.js';

/** The ConnectionEstablished payload of a link between two interfaces. */
export const connectionPayload = (link: {
  readonly a: PlannedEndpoint;
  readonly b: PlannedEndpoint;
  readonly medium: PayloadInputOf<'ConnectionEstablished'>['medium'];
  readonly speed: number;
}): PayloadInputOf<'ConnectionEstablished'> => ({
  a: { resource_id: link.a.resourceId, interface: link.a.iface },
  b: { resource_id: link.b.resourceId, interface: link.b.iface },
  medium: link.medium,
  speed_mbps: link.speed,
});

/** The SoftwareConfigured payload of `spec` at release `versionIndex` on a resource. */
export const softwarePayload = (
  resourceId: string,
  spec: SoftwareSpec,
  versionIndex: number,
): PayloadInputOf<'SoftwareConfigured'> => ({
  resource_id: resourceId,
  name: spec.name,
  version: spec.versions[versionIndex]!,
  kind: spec.kind,
  ports: [...spec.ports],
  config: { ...spec.config },
});
