import type { MessageIdentity, PayloadOf } from '@cim/contract';
import { IndexSet } from './index-set.js';
import { type Telemetry, telemetryFor } from './measurements.js';
import type { Prng } from './prng.js';
import { type GeneratedResourceType, RESOURCE_PROFILES } from './resource-profiles.js';
import type {
  AnomalyKind,
  PlannedEndpoint,
  PlannedInstallation,
  PlannedLink,
  PlannedNetwork,
  PlannedPolicy,
  PlannedResource,
} from './site-plan.js';
import type { SoftwareSpec } from './software-catalog.js';

/** An aggregate the stream has created: its id and the version of its last event. */
export interface AggregateRef {
  readonly id: string;
  version: number;
}

/**
 * What the lifecycle stream needs to know about a registered resource. A class, so that every
 * instance has the same hidden class on the hot measurement path.
 */
export class ResourceState implements AggregateRef {
  version = 0;
  status: PayloadOf<'ComputeUpdated'>['status'] = 'active';
  /** Indices of its live connections; allocated on the first (most resources have one or two). */
  connections: number[] | undefined;
  /** Its installations are contiguous: `installationCount` from `firstInstallation`. */
  firstInstallation = 0;
  installationCount = 0;

  constructor(
    readonly id: string,
    readonly index: number,
    readonly type: GeneratedResourceType,
    readonly anomaly: AnomalyKind | undefined,
    readonly telemetry: Telemetry,
    public cpuCores: number,
    public memoryMb: number,
  ) {}
}

export interface ConnectionState extends AggregateRef {
  readonly a: PlannedEndpoint;
  readonly b: PlannedEndpoint;
  readonly medium: PlannedLink['medium'];
  readonly speed: number;
}

export interface InstallationState extends AggregateRef {
  readonly resourceIndex: number;
  readonly spec: SoftwareSpec;
  versionIndex: number;
}

export interface NetworkState extends AggregateRef {
  readonly definition: PlannedNetwork['definition'];
  revision: number;
}

export interface PolicyState extends AggregateRef {
  readonly definition: PlannedPolicy['definition'];
  readonly targets: readonly number[];
  enforcement: 'enforce' | 'audit';
}

/** A severed connection waiting to be re-established, with the event that severed it. */
export interface PendingReconnect {
  readonly connection: number;
  readonly cause: MessageIdentity & { event_id: string };
}

/** Types whose resources come and go; infrastructure and hosts stay for the whole stream. */
const DECOMMISSIONABLE = new Set<GeneratedResourceType>(['virtual_machine', 'container', 'physical_server']);

/**
 * Everything created so far and whether it is still alive: O(resources) memory, O(1) random picks.
 * Only live aggregates are ever picked, so no event references one that was removed.
 */
export class FleetState {
  readonly resources: ResourceState[] = [];
  readonly connections: ConnectionState[] = [];
  readonly installations: InstallationState[] = [];
  readonly networks: NetworkState[] = [];
  readonly policies: PolicyState[] = [];
  readonly liveResources = new IndexSet();
  readonly decommissionable = new IndexSet();
  readonly liveConnections = new IndexSet();
  readonly upgradable = new IndexSet();
  readonly livePolicies = new IndexSet();
  readonly pendingReconnects: PendingReconnect[] = [];
  decommissioned = 0;

  constructor(private readonly telemetryPrng: Prng) {}

  addNetwork(n: PlannedNetwork): NetworkState {
    const state = { id: n.id, version: 0, definition: n.definition, revision: 1 };
    this.networks.push(state);
    return state;
  }

  addResource(r: PlannedResource, nowMs: number): ResourceState {
    const reg = r.registration;
    const profile = RESOURCE_PROFILES[r.type];
    const bandwidth = reg.network_bandwidth_mbps ?? 1_000;
    const telemetry = telemetryFor(profile.telemetry, bandwidth, nowMs, this.telemetryPrng);
    const state = new ResourceState(
      r.id,
      r.index,
      r.type,
      r.anomaly,
      telemetry,
      reg.cpu_cores ?? 1,
      reg.memory_mb ?? 1_024,
    );
    this.resources[r.index] = state;
    this.liveResources.add(r.index);
    if (DECOMMISSIONABLE.has(r.type) && !r.anomaly) this.decommissionable.add(r.index);
    return state;
  }

  addConnection(link: Omit<PlannedLink, 'id'>, id: string): ConnectionState {
    const index = this.connections.length;
    const state = { id, version: 0, a: link.a, b: link.b, medium: link.medium, speed: link.speed };
    this.connections.push(state);
    this.liveConnections.add(index);
    for (const end of [link.a, link.b]) {
      const r = this.resource(end.resourceIndex);
      if (r.connections) r.connections.push(index);
      else r.connections = [index];
    }
    return state;
  }

  severConnection(index: number): void {
    const c = this.connections[index]!;
    this.liveConnections.delete(index);
    for (const end of [c.a, c.b]) {
      const list = this.resource(end.resourceIndex).connections!;
      list.splice(list.indexOf(index), 1);
    }
  }

  addInstallation(i: PlannedInstallation): InstallationState {
    const index = this.installations.length;
    const state = {
      id: i.id,
      version: 0,
      resourceIndex: i.resourceIndex,
      spec: i.spec,
      versionIndex: i.versionIndex,
    };
    this.installations.push(state);
    const r = this.resource(i.resourceIndex);
    if (r.installationCount === 0) r.firstInstallation = index;
    else if (r.firstInstallation + r.installationCount !== index) {
      throw new Error('internal: the installations of a resource must be planned together');
    }
    r.installationCount++;
    if (i.versionIndex < i.spec.versions.length - 1) this.upgradable.add(index);
    return state;
  }

  addPolicy(p: PlannedPolicy): PolicyState {
    const enforcement = p.definition.enforcement ?? 'enforce';
    const state = { id: p.id, version: 0, definition: p.definition, targets: p.targets, enforcement };
    this.livePolicies.add(this.policies.length);
    this.policies.push(state);
    return state;
  }

  /** Indices of a resource's installations. */
  installationsOf(r: ResourceState): number[] {
    return Array.from({ length: r.installationCount }, (_, k) => r.firstInstallation + k);
  }

  /** Marks a resource gone, with its installations; its connections must be severed first. */
  decommission(index: number): void {
    const r = this.resource(index);
    this.liveResources.delete(index);
    this.decommissionable.delete(index);
    for (const i of this.installationsOf(r)) this.upgradable.delete(i);
    r.installationCount = 0;
    this.decommissioned++;
  }

  resource(index: number): ResourceState {
    return this.resources[index]!;
  }

  isLive(resourceIndex: number): boolean {
    return this.liveResources.has(resourceIndex);
  }
}
