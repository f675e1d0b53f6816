import { type CommandName, createEvent, type InfrastructureEvent, newId, rootIdentity } from '@cim/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Journal } from './journal.js';
import { codeOf, execute } from './test-commands.fixture.js';
import { endpointKey, WriteModel } from './write-model.js';

/** Everything the model holds, as plain data, to compare two models. */
const snapshot = (m: WriteModel) => ({
  resources: [...m.resources].sort(),
  networks: [...m.networks].sort(),
  connections: [...m.connections].sort(),
  software: [...m.software].sort(),
  policies: [...m.policies].sort(),
  activeHostnames: [...m.activeHostnames].sort(),
  macs: [...m.macs].sort(),
  definedCidrs: [...m.definedCidrs].sort(),
  connectedInterfaces: [...m.connectedInterfaces].sort(),
});

// A small world so that random commands collide often: 6 hostnames, 8 MACs, 3 CIDRs, 2 interfaces.
const HOSTS = ['a', 'b', 'c', 'd', 'e', 'f'];
const MACS = Array.from({ length: 8 }, (_, i) => `00:00:00:00:00:0${i}`);
const CIDRS = ['10.0.0.0/24', '10.0.1.0/24', '10.0.0.0/16'];
const IFACES = ['eth0', 'eth1'];

type Step = (m: WriteModel, pick: (n: number) => number) => [CommandName, unknown];

const register: Step = (_m, p) => [
  'compute.register',
  { hostname: HOSTS[p(HOSTS.length)], resource_type: 'vm', interfaces: interfaces(p) },
];

/** Picks one of the model's ids of a kind, or a fresh (unknown) id. */
const idOf = (ids: Iterable<string>, pick: (n: number) => number): string => {
  const all = [...ids];
  const i = pick(all.length + 1);
  return all[i] ?? newId();
};

const interfaces = (pick: (n: number) => number) =>
  IFACES.slice(0, 1 + pick(2)).map((name) => ({
    name,
    ...(pick(3) > 0 && { mac: MACS[pick(MACS.length)] }),
  }));

// Registrations are weighted up so that later steps find resources to work on.
const STEPS: Step[] = [
  register,
  register,
  register,
  (m, p) => [
    'compute.update',
    { resource_id: idOf(m.resources.keys(), p), hostname: HOSTS[p(HOSTS.length)] },
  ],
  (m, p) => ['compute.update', { resource_id: idOf(m.resources.keys(), p), interfaces: interfaces(p) }],
  (m, p) => ['compute.decommission', { resource_id: idOf(m.resources.keys(), p) }],
  (m, p) => [
    'compute.record-measurement',
    { resource_id: idOf(m.resources.keys(), p), cpu_utilization: 0.5 },
  ],
  (_m, p) => ['network.define', { name: 'n', cidr: CIDRS[p(3)] }],
  (m, p) => ['network.remove', { network_id: idOf(m.networks.keys(), p) }],
  (m, p) => [
    'connection.establish',
    {
      a: { resource_id: idOf(m.resources.keys(), p), interface: IFACES[p(2)] },
      b: { resource_id: idOf(m.resources.keys(), p), interface: IFACES[p(2)] },
    },
  ],
  (m, p) => [
    'connection.establish',
    {
      a: { resource_id: idOf(m.resources.keys(), p), interface: 'eth0' },
      b: { resource_id: idOf(m.resources.keys(), p), interface: 'eth0' },
    },
  ],
  (m, p) => ['connection.sever', { connection_id: idOf(m.connections.keys(), p) }],
  (m, p) => ['software.configure', { resource_id: idOf(m.resources.keys(), p), name: 's', version: '1' }],
  (m, p) => ['policy.set', { name: 'p', kind: 'backup', target_ids: [idOf(m.resources.keys(), p)] }],
];

/** Runs random commands; returns the model and the accepted events in order. */
function run(script: number[][]): { model: WriteModel; events: InfrastructureEvent[] } {
  const model = new WriteModel();
  const events: InfrastructureEvent[] = [];
  for (const [which = 0, ...choices] of script) {
    let i = 0;
    const pick = (n: number) => (choices[i++ % Math.max(choices.length, 1)] ?? 0) % n;
    const [name, payload] = STEPS[which % STEPS.length]!(model, pick);
    let d: ReturnType<typeof execute>;
    try {
      d = execute(model, name, payload as never);
    } catch {
      continue; // invalid payload (e.g. a connection from an interface to itself): the handler refuses it
    }
    if (d.ok) events.push(d.event);
  }
  return { model, events };
}

const script = fc.array(fc.array(fc.noBias(fc.nat(1000)), { minLength: 7, maxLength: 7 }), {
  minLength: 10,
  maxLength: 80,
});

describe('WriteModel invariants under any sequence of accepted commands', () => {
  it('live hostnames and MACs are unique, connections join existing interfaces at most once', () => {
    fc.assert(
      fc.property(script, (s) => {
        const { model } = run(s);
        const live = [...model.resources.values()].filter((r) => r.status !== 'decommissioned');
        const hostnames = live.map((r) => r.hostname);
        expect(new Set(hostnames).size).toBe(hostnames.length);
        const macs = live.flatMap((r) => r.interfaces.flatMap((i) => (i.mac ? [i.mac] : [])));
        expect(new Set(macs).size).toBe(macs.length);
        const endpoints = [...model.connections.values()]
          .filter((c) => !c.severed)
          .flatMap((c) => [c.a, c.b]);
        expect(new Set(endpoints.map(endpointKey)).size).toBe(endpoints.length);
        for (const e of endpoints) {
          expect(model.resources.get(e.resource_id)?.interfaces.some((i) => i.name === e.interface)).toBe(
            true,
          );
        }
        const cidrs = [...model.networks.values()].filter((n) => !n.removed).map((n) => n.cidr);
        expect(new Set(cidrs).size).toBe(cidrs.length);
        // The indexes say exactly what a scan says.
        expect(new Map([...model.activeHostnames])).toEqual(new Map(live.map((r) => [r.hostname, r.id])));
        expect(model.macs.size).toBe(macs.length);
      }),
      { numRuns: 300 },
    );
  });

  it('folding the accepted events into a fresh model gives the same state (replay = decide-time state)', () => {
    fc.assert(
      fc.property(script, (s) => {
        const { model, events } = run(s);
        const replayed = new WriteModel();
        for (const e of events) replayed.apply(e);
        expect(snapshot(replayed)).toEqual(snapshot(model));
      }),
      { numRuns: 200 },
    );
  });

  it('undoing a journal restores the state exactly, for any prefix and suffix', () => {
    fc.assert(
      fc.property(script, fc.nat(), (s, cut) => {
        const { events } = run(s);
        const k = events.length === 0 ? 0 : cut % (events.length + 1);
        const model = new WriteModel();
        for (const e of events.slice(0, k)) model.apply(e);
        const before = snapshot(model);
        const journals = events.slice(k).map((e) => {
          const j = new Journal();
          model.apply(e, j);
          return j;
        });
        for (const j of journals.reverse()) j.undo();
        expect(snapshot(model)).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });
});

describe('WriteModel folding', () => {
  it('ignores events for aggregates it does not know instead of failing', () => {
    const m = new WriteModel();
    const commandId = newId();
    m.apply(
      createEvent('ComputeUpdated', {
        aggregate_id: newId(),
        aggregate_version: 2,
        identity: rootIdentity(commandId),
        payload: { cpu_cores: 2 },
      }),
    );
    expect(m.ignored).toBe(1);
    expect(m.resources.size).toBe(0);
  });

  it('keeps versions from the stream and frees hostname and MACs on decommission', () => {
    const m = new WriteModel();
    const id = newId();
    const identity = rootIdentity(newId());
    m.apply(
      createEvent('ComputeRegistered', {
        aggregate_id: id,
        aggregate_version: 1,
        identity,
        payload: {
          hostname: 'h',
          resource_type: 'vm',
          interfaces: [{ name: 'eth0', mac: '00:00:00:00:00:09' }],
        },
      }),
    );
    expect(m.activeHostnames.get('h')).toBe(id);
    expect(m.macs.get('00:00:00:00:00:09')).toEqual({ resource_id: id, interface: 'eth0' });
    m.apply(
      createEvent('ComputeDecommissioned', { aggregate_id: id, aggregate_version: 7, identity, payload: {} }),
    );
    expect(m.resources.get(id)).toMatchObject({ version: 7, status: 'decommissioned' });
    expect(m.activeHostnames.size + m.macs.size).toBe(0);
    expect(codeOf(execute(m, 'compute.register', { hostname: 'h', resource_type: 'vm' }))).toBe('ACCEPTED');
  });
});
