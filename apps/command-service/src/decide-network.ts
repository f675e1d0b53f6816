import { cidrContains } from '@cim/contract';
import type { Command, DecideContext } from './command.js';
import type { Decision } from './decide.js';
import { activeResource, emit, newAggregateId } from './decide-support.js';
import { reject } from './errors.js';
import { type Endpoint, endpointKey, type NetworkState, type WriteModelView } from './write-model.js';

type NetworkCommand = Extract<Command, { name: 'network.define' | 'network.update' | 'network.remove' }>;
type ConnectionCommand = Extract<Command, { name: 'connection.establish' | 'connection.sever' }>;

function definedNetwork(
  state: WriteModelView,
  id: string,
): { ok: true; network: NetworkState } | Extract<Decision, { ok: false }> {
  const network = state.networks.get(id);
  if (!network) return reject('UNKNOWN_NETWORK', `unknown network ${id}`);
  if (network.removed) return reject('UNKNOWN_NETWORK', `network ${id} ('${network.name}') was removed`);
  return { ok: true, network };
}

function gatewayOutside(cidr: string, gateway: string | null | undefined): Decision | undefined {
  if (gateway === undefined || gateway === null || cidrContains(cidr, gateway)) return undefined;
  return reject('VALIDATION_FAILED', `gateway ${gateway} is not inside the network's CIDR ${cidr}`);
}

export function decideNetwork(state: WriteModelView, command: NetworkCommand, ctx: DecideContext): Decision {
  switch (command.name) {
    case 'network.define': {
      const { network_id, ...payload } = command.payload;
      const id = newAggregateId(network_id, 'network_id', ctx);
      if (!id.ok) return reject('VALIDATION_FAILED', id.message);
      const existing = state.networks.get(id.id);
      if (existing)
        return reject('VALIDATION_FAILED', `network ${id.id} is already defined ('${existing.name}')`);
      const holder = state.definedCidrs.get(payload.cidr);
      if (holder !== undefined) {
        const name = state.networks.get(holder)?.name ?? '?';
        return reject(
          'DUPLICATE_NETWORK',
          `CIDR ${payload.cidr} is already defined by network ${holder} ('${name}')`,
        );
      }
      return gatewayOutside(payload.cidr, payload.gateway) ?? emit('NetworkDefined', ctx, id.id, 1, payload);
    }
    case 'network.update': {
      const { network_id, ...payload } = command.payload;
      const found = definedNetwork(state, network_id);
      if (!found.ok) return found;
      return (
        gatewayOutside(found.network.cidr, payload.gateway) ??
        emit('NetworkUpdated', ctx, network_id, found.network.version + 1, payload)
      );
    }
    case 'network.remove': {
      const { network_id, ...payload } = command.payload;
      const found = definedNetwork(state, network_id);
      if (!found.ok) return found;
      return emit('NetworkRemoved', ctx, network_id, found.network.version + 1, payload);
    }
  }
}

/** An endpoint must be an existing interface of a live resource that no connection uses yet. */
function unusableEndpoint(state: WriteModelView, endpoint: Endpoint, side: 'a' | 'b'): Decision | undefined {
  const found = activeResource(state, endpoint.resource_id, `resource of endpoint ${side}`);
  if (!found.ok) return found;
  const { resource } = found;
  if (!resource.interfaces.some((i) => i.name === endpoint.interface)) {
    const names = resource.interfaces.map((i) => i.name).join(', ') || 'none';
    return reject(
      'UNKNOWN_INTERFACE',
      `resource ${resource.id} ('${resource.hostname}') has no interface '${endpoint.interface}' (it has: ${names})`,
    );
  }
  const connection = state.connectedInterfaces.get(endpointKey(endpoint));
  if (connection !== undefined) {
    return reject(
      'ALREADY_CONNECTED',
      `interface '${endpoint.interface}' of resource ${resource.id} ('${resource.hostname}') is already connected (connection ${connection})`,
    );
  }
  return undefined;
}

export function decideConnection(
  state: WriteModelView,
  command: ConnectionCommand,
  ctx: DecideContext,
): Decision {
  switch (command.name) {
    case 'connection.establish': {
      const { connection_id, ...payload } = command.payload;
      const id = newAggregateId(connection_id, 'connection_id', ctx);
      if (!id.ok) return reject('VALIDATION_FAILED', id.message);
      if (state.connections.has(id.id))
        return reject('VALIDATION_FAILED', `connection ${id.id} already exists`);
      return (
        unusableEndpoint(state, payload.a, 'a') ??
        unusableEndpoint(state, payload.b, 'b') ??
        emit('ConnectionEstablished', ctx, id.id, 1, payload)
      );
    }
    case 'connection.sever': {
      const { connection_id, ...payload } = command.payload;
      const connection = state.connections.get(connection_id);
      if (!connection) return reject('UNKNOWN_CONNECTION', `unknown connection ${connection_id}`);
      if (connection.severed)
        return reject('UNKNOWN_CONNECTION', `connection ${connection_id} was already severed`);
      return emit('ConnectionSevered', ctx, connection_id, connection.version + 1, payload);
    }
  }
}
