import type { InfrastructureEvent, PayloadOf } from '@cim/contract';
import type { Journal } from './journal.js';

/** An interface of a resource as the write model keeps it. */
export interface InterfaceState {
  readonly name: string;
  readonly mac?: string | undefined;
  readonly ips: readonly string[];
}

export type ResourceStatus = 'active' | 'maintenance' | 'degraded' | 'offline' | 'decommissioned';

export interface ResourceState {
  readonly id: string;
  readonly version: number;
  readonly hostname: string;
  readonly resource_type: string;
  readonly status: ResourceStatus;
  readonly interfaces: readonly InterfaceState[];
}

export interface NetworkState {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  readonly cidr: string;
  readonly vlan_id?: number | undefined;
  readonly gateway?: string | undefined;
  readonly removed: boolean;
}

export interface Endpoint {
  readonly resource_id: string;
  readonly interface: string;
}

export interface ConnectionState {
  readonly id: string;
  readonly version: number;
  readonly a: Endpoint;
  readonly b: Endpoint;
  readonly severed: boolean;
}

export interface SoftwareState {
  readonly id: string;
  readonly version: number;
  readonly resource_id: string;
  readonly name: string;
  readonly removed: boolean;
}

export interface PolicyState {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  readonly target_ids: readonly string[];
  readonly removed: boolean;
}

/** Where a MAC address is in use. */
export interface MacOwner {
  readonly resource_id: string;
  readonly interface: string;
}

/** `resource_id/interface`, the key of the connected-interface index. */
export const endpointKey = (e: Endpoint): string => `${e.resource_id}/${e.interface}`;

/** What `decide` may read: every aggregate plus the indexes the invariants need. */
export interface WriteModelView {
  readonly resources: ReadonlyMap<string, ResourceState>;
  readonly networks: ReadonlyMap<string, NetworkState>;
  readonly connections: ReadonlyMap<string, ConnectionState>;
  readonly software: ReadonlyMap<string, SoftwareState>;
  readonly policies: ReadonlyMap<string, PolicyState>;
  /** Hostname → id of the non-decommissioned resource holding it. */
  readonly activeHostnames: ReadonlyMap<string, string>;
  /** MAC → interface holding it, over all non-decommissioned resources (MACs are unique fleet-wide). */
  readonly macs: ReadonlyMap<string, MacOwner>;
  /** CIDR → id of the defined (not removed) network using it. */
  readonly definedCidrs: ReadonlyMap<string, string>;
  /** {@link endpointKey} → id of the established (not severed) connection using the interface. */
  readonly connectedInterfaces: ReadonlyMap<string, string>;
}

type Payload<T extends InfrastructureEvent['event_type']> = PayloadOf<T>;

const toInterfaces = (ifaces: Payload<'ComputeRegistered'>['interfaces']): InterfaceState[] =>
  ifaces.map((i) => ({ name: i.name, mac: i.mac, ips: i.ips }));

/**
 * In-memory state of every aggregate, folded from the event stream. Folding is total: an event that
 * does not fit (an update of an unknown resource, written by some other producer) is counted in
 * {@link ignored} and changes nothing, so a replay never crashes the service.
 *
 * {@link apply} takes an optional {@link Journal}: the command handler applies the events it has
 * decided but not yet seen acknowledged through one and undoes it if the append loses the race.
 */
export class WriteModel implements WriteModelView {
  readonly resources = new Map<string, ResourceState>();
  readonly networks = new Map<string, NetworkState>();
  readonly connections = new Map<string, ConnectionState>();
  readonly software = new Map<string, SoftwareState>();
  readonly policies = new Map<string, PolicyState>();
  readonly activeHostnames = new Map<string, string>();
  readonly macs = new Map<string, MacOwner>();
  readonly definedCidrs = new Map<string, string>();
  readonly connectedInterfaces = new Map<string, string>();
  /** Events that did not fit the state (see the class comment). */
  ignored = 0;

  #journal: Journal | undefined;

  /** Folds one event into the state; with a journal, every write can be undone. */
  apply(event: InfrastructureEvent, journal?: Journal): void {
    this.#journal = journal;
    try {
      this.#apply(event);
    } finally {
      this.#journal = undefined;
    }
  }

  #set<K, V>(map: Map<K, V>, key: K, value: V): void {
    if (this.#journal) this.#journal.set(map, key, value);
    else map.set(key, value);
  }

  #delete<K, V>(map: Map<K, V>, key: K): void {
    if (this.#journal) this.#journal.delete(map, key);
    else map.delete(key);
  }

  /** Removes `key` from an index only if it still points at `owner` (a later writer may hold it). */
  #unindex(map: Map<string, string>, key: string, owner: string): void {
    if (map.get(key) === owner) this.#delete(map, key);
  }

  #apply(event: InfrastructureEvent): void {
    const id = event.aggregate_id;
    const version = event.aggregate_version;
    switch (event.event_type) {
      case 'ComputeRegistered': {
        const old = this.resources.get(id);
        if (old) this.#unindexResource(old);
        const p = event.payload;
        const resource: ResourceState = {
          id,
          version,
          hostname: p.hostname,
          resource_type: p.resource_type,
          status: 'active',
          interfaces: toInterfaces(p.interfaces),
        };
        this.#set(this.resources, id, resource);
        this.#indexResource(resource);
        return;
      }
      case 'ComputeUpdated': {
        const old = this.resources.get(id);
        if (!old) {
          this.ignored++;
          return;
        }
        const p = event.payload;
        const next: ResourceState = {
          ...old,
          version,
          hostname: p.hostname ?? old.hostname,
          resource_type: p.resource_type ?? old.resource_type,
          status: old.status === 'decommissioned' ? old.status : (p.status ?? old.status),
          interfaces: p.interfaces ? toInterfaces(p.interfaces) : old.interfaces,
        };
        this.#unindexResource(old);
        this.#set(this.resources, id, next);
        this.#indexResource(next);
        return;
      }
      case 'ComputeDecommissioned': {
        const old = this.resources.get(id);
        if (!old) {
          this.ignored++;
          return;
        }
        this.#unindexResource(old);
        this.#set(this.resources, id, { ...old, version, status: 'decommissioned' });
        return;
      }
      case 'ComputeMeasured': {
        const old = this.resources.get(id);
        if (!old) {
          this.ignored++;
          return;
        }
        this.#set(this.resources, id, { ...old, version });
        return;
      }
      case 'NetworkDefined': {
        const old = this.networks.get(id);
        if (old && !old.removed) this.#unindex(this.definedCidrs, old.cidr, id);
        const p = event.payload;
        this.#set(this.networks, id, {
          id,
          version,
          name: p.name,
          cidr: p.cidr,
          vlan_id: p.vlan_id,
          gateway: p.gateway,
          removed: false,
        });
        this.#set(this.definedCidrs, p.cidr, id);
        return;
      }
      case 'NetworkUpdated': {
        const old = this.networks.get(id);
        if (!old) {
          this.ignored++;
          return;
        }
        const p = event.payload;
        this.#set(this.networks, id, {
          ...old,
          version,
          name: p.name ?? old.name,
          vlan_id: p.vlan_id === null ? undefined : (p.vlan_id ?? old.vlan_id),
          gateway: p.gateway === null ? undefined : (p.gateway ?? old.gateway),
        });
        return;
      }
      case 'NetworkRemoved': {
        const old = this.networks.get(id);
        if (!old) {
          this.ignored++;
          return;
        }
        this.#unindex(this.definedCidrs, old.cidr, id);
        this.#set(this.networks, id, { ...old, version, removed: true });
        return;
      }
      case 'ConnectionEstablished': {
        const old = this.connections.get(id);
        if (old && !old.severed) this.#unindexConnection(old);
        const { a, b } = event.payload;
        const connection: ConnectionState = {
          id,
          version,
          a: { resource_id: a.resource_id, interface: a.interface },
          b: { resource_id: b.resource_id, interface: b.interface },
          severed: false,
        };
        this.#set(this.connections, id, connection);
        this.#set(this.connectedInterfaces, endpointKey(connection.a), id);
        this.#set(this.connectedInterfaces, endpointKey(connection.b), id);
        return;
      }
      case 'ConnectionSevered': {
        const old = this.connections.get(id);
        if (!old) {
          this.ignored++;
          return;
        }
        this.#unindexConnection(old);
        this.#set(this.connections, id, { ...old, version, severed: true });
        return;
      }
      case 'SoftwareConfigured': {
        const p = event.payload;
        this.#set(this.software, id, {
          id,
          version,
          resource_id: p.resource_id,
          name: p.name,
          removed: false,
        });
        return;
      }
      case 'SoftwareRemoved': {
        const old = this.software.get(id);
        if (!old) {
          this.ignored++;
          return;
        }
        this.#set(this.software, id, { ...old, version, removed: true });
        return;
      }
      case 'PolicySet': {
        const p = event.payload;
        this.#set(this.policies, id, { id, version, name: p.name, target_ids: p.target_ids, removed: false });
        return;
      }
      case 'PolicyRemoved': {
        const old = this.policies.get(id);
        if (!old) {
          this.ignored++;
          return;
        }
        this.#set(this.policies, id, { ...old, version, removed: true });
        return;
      }
    }
  }

  #indexResource(r: ResourceState): void {
    if (r.status === 'decommissioned') return;
    this.#set(this.activeHostnames, r.hostname, r.id);
    for (const i of r.interfaces) {
      if (i.mac !== undefined) this.#set(this.macs, i.mac, { resource_id: r.id, interface: i.name });
    }
  }

  #unindexResource(r: ResourceState): void {
    this.#unindex(this.activeHostnames, r.hostname, r.id);
    for (const i of r.interfaces) {
      if (i.mac !== undefined && this.macs.get(i.mac)?.resource_id === r.id) this.#delete(this.macs, i.mac);
    }
  }

  #unindexConnection(c: ConnectionState): void {
    this.#unindex(this.connectedInterfaces, endpointKey(c.a), c.id);
    this.#unindex(this.connectedInterfaces, endpointKey(c.b), c.id);
  }
}
