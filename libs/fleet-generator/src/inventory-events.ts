import type { InfrastructureEvent } from '@cim/contract';
import type { EventWriter } from './event-writer.js';
import type { FleetState } from './fleet-state.js';
import { connectionPayload, softwarePayload } from './payload-builders.js';
import type { SitePlan } from './site-plan.js';

/**
 * The inventory events of one site, in causal order: its networks, its resources (hosts before their
 * guests), the connections between their interfaces, installed software, then policies. They all
 * belong to one root command, the site's import (correlation = causation = its id).
 */
export function* inventoryEvents(
  site: SitePlan,
  state: FleetState,
  writer: EventWriter,
): Generator<InfrastructureEvent> {
  const identity = writer.newCommand();
  for (const n of site.networks) {
    yield writer.write('NetworkDefined', state.addNetwork(n), n.definition, identity);
  }
  for (const r of site.resources) {
    yield writer.write('ComputeRegistered', state.addResource(r, writer.now), r.registration, identity);
  }
  for (const link of site.links) {
    yield writer.write(
      'ConnectionEstablished',
      state.addConnection(link, link.id),
      connectionPayload(link),
      identity,
    );
  }
  for (const i of site.installations) {
    const payload = softwarePayload(i.resourceId, i.spec, i.versionIndex);
    yield writer.write('SoftwareConfigured', state.addInstallation(i), payload, identity);
  }
  for (const p of site.policies) {
    yield writer.write('PolicySet', state.addPolicy(p), p.definition, identity);
  }
}
