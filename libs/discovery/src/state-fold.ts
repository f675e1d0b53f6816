import type { InfrastructureEvent, NetworkInterface } from '@cim/contract';

/** The compute resource that holds the discovered hostname, as the event stream says it is now. */
export interface KnownResource {
  id: string;
  hostname: string;
  status: 'active' | 'maintenance' | 'degraded' | 'offline' | 'decommissioned';
  resource_type?: string;
  cpu_cores?: number;
  memory_mb?: number;
  storage_gb?: number;
  os?: string;
  /** The full current set (each ComputeUpdated with interfaces replaces it). */
  interfaces: NetworkInterface[];
}

/** A software aggregate installed on the resource and not removed. */
export interface KnownSoftware {
  id: string;
  name: string;
  version: string;
  kind: string;
  ports: number[];
  config: Record<string, unknown>;
}

/** What the planner compares the facts with. */
export interface CurrentState {
  /** The hostname looked for (lower case, as the contract stores it). */
  hostname: string;
  /** The active (not decommissioned) resource with that hostname, if any. */
  resource?: KnownResource;
  /** CIDRs of every defined, not removed, network. */
  definedCidrs: ReadonlySet<string>;
  /** Software on {@link resource} that is not removed. */
  software: readonly KnownSoftware[];
  /** Last stream sequence folded in. */
  sequence: number;
}

interface TrackedSoftware extends KnownSoftware {
  resource_id: string;
}

/**
 * Folds the events that matter for one hostname: resources that ever held it (others are not kept,
 * so memory stays small on a large fleet), every network's CIDR, and the software of the tracked
 * resources. Incremental: keep the fold and feed it only newer events (see `loadCurrentState`).
 */
export class StateFold {
  readonly hostname: string;
  /** Last stream sequence folded in. */
  sequence = 0;
  /** Events that could not be decoded (poison events for projectors; ignored here). */
  skipped = 0;
  readonly #resources = new Map<string, KnownResource>();
  readonly #cidrs = new Map<string, string>();
  readonly #software = new Map<string, TrackedSoftware>();

  constructor(hostname: string) {
    this.hostname = hostname.trim().toLowerCase();
  }

  /** True if the resource `id` has held this hostname (its later events matter). */
  tracksResource(id: string): boolean {
    return this.#resources.has(id);
  }

  /** True if a software event (by aggregate id and payload resource id) concerns a tracked resource. */
  concernsSoftware(aggregateId: string, resourceId: unknown): boolean {
    return (
      this.#software.has(aggregateId) || (typeof resourceId === 'string' && this.#resources.has(resourceId))
    );
  }

  /** Applies one decoded event; events about other hostnames and unknown aggregates change nothing. */
  apply(event: InfrastructureEvent): void {
    const id = event.aggregate_id;
    switch (event.event_type) {
      case 'ComputeRegistered': {
        const p = event.payload;
        if (p.hostname !== this.hostname) return;
        this.#resources.set(id, {
          id,
          hostname: p.hostname,
          status: 'active',
          resource_type: p.resource_type,
          ...definedFields(p),
          interfaces: p.interfaces,
        });
        return;
      }
      case 'ComputeUpdated': {
        const p = event.payload;
        const named = p.hostname === this.hostname;
        // A resource renamed to this hostname is tracked from here on with what the update says.
        const r =
          this.#resources.get(id) ??
          (named ? { id, hostname: this.hostname, status: 'active' as const, interfaces: [] } : undefined);
        if (!r) return;
        if (p.hostname !== undefined && !named) {
          this.#resources.delete(id);
          return;
        }
        this.#resources.set(id, {
          ...r,
          ...(p.resource_type !== undefined && { resource_type: p.resource_type }),
          ...definedFields(p),
          ...(p.status !== undefined && { status: p.status }),
          ...(p.interfaces !== undefined && { interfaces: p.interfaces }),
        });
        return;
      }
      case 'ComputeDecommissioned': {
        const r = this.#resources.get(id);
        if (r) this.#resources.set(id, { ...r, status: 'decommissioned' });
        return;
      }
      case 'NetworkDefined':
        this.#cidrs.set(id, event.payload.cidr);
        return;
      case 'NetworkRemoved':
        this.#cidrs.delete(id);
        return;
      case 'SoftwareConfigured': {
        const p = event.payload;
        if (!this.#resources.has(p.resource_id)) {
          this.#software.delete(id);
          return;
        }
        const { resource_id, name, version, kind, ports, config } = p;
        this.#software.set(id, { id, resource_id, name, version, kind, ports, config });
        return;
      }
      case 'SoftwareRemoved':
        this.#software.delete(id);
        return;
      default:
        return;
    }
  }

  /** The state the planner compares with, as of {@link sequence}. */
  snapshot(): CurrentState {
    let resource: KnownResource | undefined;
    for (const r of this.#resources.values()) if (r.status !== 'decommissioned') resource = r;
    const software = resource
      ? [...this.#software.values()]
          .filter((s) => s.resource_id === resource.id)
          .map(({ resource_id: _, ...s }) => s)
      : [];
    return {
      hostname: this.hostname,
      ...(resource && { resource }),
      definedCidrs: new Set(this.#cidrs.values()),
      software,
      sequence: this.sequence,
    };
  }
}

function definedFields(p: {
  cpu_cores?: number | undefined;
  memory_mb?: number | undefined;
  storage_gb?: number | undefined;
  os?: string | undefined;
}): Partial<KnownResource> {
  return {
    ...(p.cpu_cores !== undefined && { cpu_cores: p.cpu_cores }),
    ...(p.memory_mb !== undefined && { memory_mb: p.memory_mb }),
    ...(p.storage_gb !== undefined && { storage_gb: p.storage_gb }),
    ...(p.os !== undefined && { os: p.os }),
  };
}
