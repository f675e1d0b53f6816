import { causedBy, type InfrastructureEvent } from '@cim/contract';
import type { EventWriter } from './event-writer.js';
import type { FleetState } from './fleet-state.js';
import { connectionPayload, softwarePayload } from './payload-builders.js';
import type { Prng } from './prng.js';

/** Most of the decommissionable resources (VMs, containers, physical servers) a stream takes down. */
export const MAX_DECOMMISSION_SHARE = 0.2;

interface Context {
  readonly state: FleetState;
  readonly writer: EventWriter;
  readonly prng: Prng;
}

/** An action produces the events of one command, or nothing when it does not apply right now. */
type Action = (ctx: Context) => InfrastructureEvent[] | undefined;

const measure: Action = ({ state, writer, prng }) => {
  const index = state.liveResources.pick(prng);
  if (index === undefined) return undefined;
  return [writer.writeMeasurement(state.resource(index), prng, writer.newCommand())];
};

const GUEST_LIMITS = { virtual_machine: [64, 262_144], container: [8, 16_384] } as const;

const update: Action = ({ state, writer, prng }) => {
  const r = state.resource(state.liveResources.pick(prng)!);
  const cmd = writer.newCommand();
  if (r.status !== 'active') {
    // Back from maintenance or degradation, after a reboot.
    const back = (nowMs: number) => {
      r.telemetry.bootMs = nowMs;
      return { status: 'active' as const };
    };
    r.status = 'active';
    return [writer.write('ComputeUpdated', r, back, cmd)];
  }
  const limits = r.type === 'virtual_machine' || r.type === 'container' ? GUEST_LIMITS[r.type] : undefined;
  const roll = prng.next();
  if (limits && roll < 0.4) {
    // Resize up when there is room, else down.
    const grow = r.cpuCores * 2 <= limits[0] && r.memoryMb * 2 <= limits[1] && prng.chance(0.75);
    r.cpuCores = grow ? r.cpuCores * 2 : Math.max(0.25, r.cpuCores / 2);
    r.memoryMb = grow ? r.memoryMb * 2 : Math.max(256, r.memoryMb / 2);
    return [writer.write('ComputeUpdated', r, { cpu_cores: r.cpuCores, memory_mb: r.memoryMb }, cmd)];
  }
  r.status = roll < 0.8 ? 'maintenance' : 'degraded';
  return [writer.write('ComputeUpdated', r, { status: r.status }, cmd)];
};

const upgrade: Action = ({ state, writer, prng }) => {
  const index = state.upgradable.pick(prng);
  if (index === undefined) return undefined;
  const i = state.installations[index]!;
  i.versionIndex++;
  if (i.versionIndex >= i.spec.versions.length - 1) state.upgradable.delete(index);
  const payload = softwarePayload(state.resource(i.resourceIndex).id, i.spec, i.versionIndex);
  return [writer.write('SoftwareConfigured', i, payload, writer.newCommand())];
};

const SEVER_REASONS = ['link flap', 'cable replaced', 'port error threshold exceeded', 'planned maintenance'];

const sever: Action = ({ state, writer, prng }) => {
  const index = state.liveConnections.pick(prng);
  if (index === undefined) return undefined;
  const c = state.connections[index]!;
  state.severConnection(index);
  const event = writer.write(
    'ConnectionSevered',
    c,
    { reason: prng.pick(SEVER_REASONS) },
    writer.newCommand(),
  );
  const { event_id, correlation_id, causation_id } = event;
  state.pendingReconnects.push({ connection: index, cause: { event_id, correlation_id, causation_id } });
  return [event];
};

const reconnect: Action = ({ state, writer }) => {
  const pending = state.pendingReconnects.shift();
  if (pending === undefined) return undefined;
  const old = state.connections[pending.connection]!;
  if (!state.isLive(old.a.resourceIndex) || !state.isLive(old.b.resourceIndex)) return undefined;
  const c = state.addConnection(old, writer.newAggregateId());
  return [writer.write('ConnectionEstablished', c, connectionPayload(c), causedBy(pending.cause))];
};

const updateNetwork: Action = ({ state, writer, prng }) => {
  const n = state.networks[Math.floor(prng.next() * state.networks.length)];
  if (n === undefined) return undefined;
  const revision = ++n.revision;
  const payload =
    revision % 2 === 0
      ? { vlan_id: ((n.definition.vlan_id + 100 * (revision / 2) - 1) % 4094) + 1 }
      : { name: `${n.definition.name}-r${revision}` };
  return [writer.write('NetworkUpdated', n, payload, writer.newCommand())];
};

const updatePolicy: Action = ({ state, writer, prng }) => {
  const index = state.livePolicies.pick(prng);
  if (index === undefined) return undefined;
  const p = state.policies[index]!;
  const targets = p.targets.filter((t) => state.isLive(t));
  if (targets.length === 0) return removePolicyAt(state, writer, index, 'no targets left');
  p.enforcement = p.enforcement === 'enforce' ? 'audit' : 'enforce';
  const payload = {
    ...p.definition,
    target_ids: targets.map((t) => state.resource(t).id),
    enforcement: p.enforcement,
  };
  return [writer.write('PolicySet', p, payload, writer.newCommand())];
};

const removePolicy: Action = ({ state, writer, prng }) => {
  const index = state.livePolicies.pick(prng);
  return index === undefined ? undefined : removePolicyAt(state, writer, index, 'superseded');
};

const removePolicyAt = (state: FleetState, writer: EventWriter, index: number, reason: string) => {
  state.livePolicies.delete(index);
  return [writer.write('PolicyRemoved', state.policies[index]!, { reason }, writer.newCommand())];
};

/** Takes a resource down in causal order: its software, its connections, then the resource itself. */
const decommission: Action = ({ state, writer, prng }) => {
  const budget = Math.floor(MAX_DECOMMISSION_SHARE * (state.decommissionable.size + state.decommissioned));
  if (state.decommissioned >= budget || state.liveResources.size <= 1) return undefined;
  const index = state.decommissionable.pick(prng);
  if (index === undefined) return undefined;
  const r = state.resource(index);
  const cmd = writer.newCommand();
  const reason = 'resource decommissioned';
  const events: InfrastructureEvent[] = [];
  for (const i of state.installationsOf(r)) {
    events.push(writer.write('SoftwareRemoved', state.installations[i]!, { reason }, cmd));
  }
  for (const c of [...(r.connections ?? [])]) {
    state.severConnection(c);
    events.push(writer.write('ConnectionSevered', state.connections[c]!, { reason }, cmd));
  }
  state.decommission(index);
  events.push(
    writer.write(
      'ComputeDecommissioned',
      r,
      { reason: prng.pick(['end of life', 'migrated', 'scaled in']) },
      cmd,
    ),
  );
  return events;
};

/** Actions and their relative frequency: mostly measurements, a trickle of changes. */
const ACTIONS: ReadonlyArray<readonly [Action, number]> = [
  [measure, 850],
  [update, 50],
  [upgrade, 30],
  [sever, 12],
  [reconnect, 12],
  [updateNetwork, 4],
  [updatePolicy, 5],
  [removePolicy, 2],
  [decommission, 5],
];
const WEIGHTS = ACTIONS.map(([, w]) => w);
const TOTAL = WEIGHTS.reduce((a, b) => a + b, 0);

/**
 * The lifecycle of a registered fleet, one command at a time: measurements, status and capacity
 * changes, software upgrades, severed and re-established links, network and policy changes and
 * decommissions. Every event references only live aggregates; an action that cannot apply right now
 * makes a measurement instead. The returned function gives the events of the next command (never none).
 */
export const lifecycle = (
  state: FleetState,
  writer: EventWriter,
  prng: Prng,
): (() => InfrastructureEvent[]) => {
  const ctx: Context = { state, writer, prng };
  return () => {
    const [action] = ACTIONS[prng.weighted(WEIGHTS, TOTAL)]!;
    const events = action(ctx) ?? measure(ctx);
    if (events === undefined) throw new Error('internal: a fleet always keeps a live resource to measure');
    return events;
  };
};
