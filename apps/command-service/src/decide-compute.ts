import type { Command, DecideContext } from './command.js';
import type { Decision } from './decide.js';
import { activeResource, emit, newAggregateId } from './decide-support.js';
import { reject } from './errors.js';
import { endpointKey, type WriteModelView } from './write-model.js';

type ComputeCommand = Extract<
  Command,
  { name: 'compute.register' | 'compute.update' | 'compute.decommission' | 'compute.record-measurement' }
>;

/** Hostnames are unique among resources that are not decommissioned (a retired name may be reused). */
function hostnameTaken(state: WriteModelView, hostname: string, self?: string): Decision | undefined {
  const holder = state.activeHostnames.get(hostname);
  if (holder === undefined || holder === self) return undefined;
  return reject('DUPLICATE_HOSTNAME', `hostname '${hostname}' is already used by resource ${holder}`);
}

/**
 * MACs are unique fleet-wide, not only per resource: a MAC-48 is burnt into one NIC, so the same MAC
 * on two live resources is a data error (a copied VM template, a typo) that would also merge two
 * devices in NetBox and in the graph. A decommissioned resource frees its MACs for reused hardware.
 */
function macTaken(
  state: WriteModelView,
  interfaces: readonly { name: string; mac?: string | undefined }[],
  self?: string,
): Decision | undefined {
  for (const iface of interfaces) {
    if (iface.mac === undefined) continue;
    const owner = state.macs.get(iface.mac);
    if (owner && owner.resource_id !== self) {
      return reject(
        'DUPLICATE_MAC',
        `MAC address ${iface.mac} of interface '${iface.name}' is already used by interface '${owner.interface}' of resource ${owner.resource_id}`,
      );
    }
  }
  return undefined;
}

export function decideCompute(state: WriteModelView, command: ComputeCommand, ctx: DecideContext): Decision {
  switch (command.name) {
    case 'compute.register': {
      const { resource_id, ...payload } = command.payload;
      const id = newAggregateId(resource_id, 'resource_id', ctx);
      if (!id.ok) return reject('VALIDATION_FAILED', id.message);
      const existing = state.resources.get(id.id);
      if (existing)
        return reject(
          'VALIDATION_FAILED',
          `resource ${id.id} is already registered ('${existing.hostname}')`,
        );
      return (
        hostnameTaken(state, payload.hostname) ??
        macTaken(state, payload.interfaces) ??
        emit('ComputeRegistered', ctx, id.id, 1, payload)
      );
    }
    case 'compute.update': {
      const { resource_id, ...payload } = command.payload;
      const found = activeResource(state, resource_id);
      if (!found.ok) return found;
      const { resource } = found;
      if (payload.interfaces) {
        const kept = new Set(payload.interfaces.map((i) => i.name));
        for (const old of resource.interfaces) {
          const connection = state.connectedInterfaces.get(endpointKey({ resource_id, interface: old.name }));
          if (!kept.has(old.name) && connection !== undefined) {
            return reject(
              'ALREADY_CONNECTED',
              `interface '${old.name}' of resource ${resource_id} is connected (connection ${connection}); sever it before removing the interface`,
            );
          }
        }
      }
      return (
        (payload.hostname === undefined ? undefined : hostnameTaken(state, payload.hostname, resource_id)) ??
        (payload.interfaces ? macTaken(state, payload.interfaces, resource_id) : undefined) ??
        emit('ComputeUpdated', ctx, resource_id, resource.version + 1, payload)
      );
    }
    case 'compute.decommission': {
      const { resource_id, ...payload } = command.payload;
      const found = activeResource(state, resource_id);
      if (!found.ok) return found;
      return emit('ComputeDecommissioned', ctx, resource_id, found.resource.version + 1, payload);
    }
    case 'compute.record-measurement': {
      const { resource_id, ...payload } = command.payload;
      const found = activeResource(state, resource_id);
      if (!found.ok) return found;
      return emit('ComputeMeasured', ctx, resource_id, found.resource.version + 1, payload);
    }
  }
}
