import { cidrSize, payloads } from '@cim/contract';
import { generateFleet } from '@cim/fleet-generator';
import type { Projector } from '@cim/projection-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlHarness, type SqlHarness } from './projector-harness.fixture.js';
import type { ReadModel } from './read-model.js';
import { REPORTS, runReport } from './reports.js';
import type { ModelSnapshot } from './snapshot.fixture.js';
import { topologyMermaid } from './topology.js';

type Row = Record<string, unknown>;

const sortRows = (rows: readonly Row[]) =>
  [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const count = <K>(items: readonly K[], key: (item: K) => string) => {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
};

/** Report expectations derived from the direct fold of the events, never from SQL. */
type Keyed = Row & { id: string };
const keyed = (id: string, row: Row): Keyed => ({ ...row, id });

const expectationsOf = (m: ModelSnapshot) => {
  const resources = Object.entries(m.compute_resources).map(([id, r]) => keyed(id, r));
  const live = resources.filter((r) => r.status !== 'decommissioned');
  const liveIds = new Set(live.map((r) => r.id));
  const connections = Object.values(m.connections);
  const active = connections.filter((c) => c.status === 'active');
  const installed = Object.entries(m.software_installations)
    .map(([id, s]) => keyed(id, s))
    .filter((s) => s.status === 'installed');
  const hostOf = new Map(resources.map((r) => [r.id, r]));
  const ends = (c: Row) => new Set([String(c.a_resource_id), String(c.b_resource_id)]);
  const activePolicies = new Set(
    Object.entries(m.policies)
      .filter(([, p]) => p.status === 'active')
      .map(([id]) => id),
  );
  const covered = new Map<string, Set<string>>();
  for (const t of m.policy_targets) {
    const [policy, resource] = t.split('/') as [string, string];
    if (!activePolicies.has(policy) || !liveIds.has(resource)) continue;
    for (const kind of [String(m.policies[policy]!.kind), 'any'])
      covered.set(kind, (covered.get(kind) ?? new Set()).add(resource));
  }
  const addresses = Object.entries(m.interface_addresses).map(
    ([key, a]) => ({ ...a, resource: key.split('/')[0]! }) as Row & { resource: string },
  );
  return {
    inventory: [...count(resources, (r) => `${r.category}|${r.resource_type}|${r.status}`)].map(([k, n]) => {
      const [category, resource_type, status] = k.split('|');
      return { category, resource_type, status, resources: n };
    }),
    ipUsage: Object.entries(m.networks)
      .filter(([, n]) => n.status === 'active')
      .map(([id, n]) => {
        const used = new Set(
          addresses
            .filter((a) => a.network_id === id && liveIds.has(a.resource))
            .map((a) => String(a.address).split('/')[0]),
        ).size;
        const size = cidrSize(String(n.cidr));
        return {
          network_id: id,
          name: n.name,
          cidr: n.cidr,
          site: n.site,
          vlan_id: n.vlan_id,
          used_addresses: used,
          size,
          utilization: used / size,
        };
      }),
    connections: live.map((r) => ({
      resource_id: r.id,
      hostname: r.hostname,
      resource_type: r.resource_type,
      site: r.site,
      active_connections: active.filter((c) => ends(c).has(r.id)).length,
      severed_connections: connections.filter((c) => c.status === 'severed' && ends(c).has(r.id)).length,
    })),
    orphaned: Object.entries(m.interfaces)
      .map(
        ([key, i]) =>
          ({ ...i, resource_id: key.slice(0, 36), interface: key.slice(37) }) as Row & {
            resource_id: string;
            interface: string;
          },
      )
      .filter((i) => liveIds.has(i.resource_id) && i.kind !== 'loopback')
      .filter(
        (i) =>
          !active.some(
            (c) =>
              (c.a_resource_id === i.resource_id && c.a_interface === i.interface) ||
              (c.b_resource_id === i.resource_id && c.b_interface === i.interface),
          ),
      )
      .map((i) => ({
        resource_id: i.resource_id,
        hostname: hostOf.get(i.resource_id)!.hostname,
        interface: i.interface,
        kind: i.kind,
        mac: i.mac,
      })),
    software: [...count(installed, (s) => `${s.name}|${s.version}|${s.kind}`)].map(([k, n]) => {
      const [name, version, kind] = k.split('|');
      const on = installed.filter((s) => `${s.name}|${s.version}|${s.kind}` === k);
      return { name, version, kind, installations: n, resources: new Set(on.map((s) => s.resource_id)).size };
    }),
    placement: installed.map((s) => ({
      name: s.name,
      version: s.version,
      kind: s.kind,
      resource_id: s.resource_id,
      hostname: hostOf.get(String(s.resource_id))!.hostname,
      site: hostOf.get(String(s.resource_id))!.site,
    })),
    coverage: [...payloads.PolicySet.shape.kind.options, 'any'].map((kind) => ({
      kind,
      covered: covered.get(kind)?.size ?? 0,
      uncovered: live.length - (covered.get(kind)?.size ?? 0),
    })),
    historyOf: (id: string) => {
      const related = new Set([id, ...installed.filter((s) => s.resource_id === id).map((s) => s.id)]);
      for (const [sid, s] of Object.entries(m.software_installations))
        if (s.resource_id === id) related.add(sid);
      for (const [cid, c] of Object.entries(m.connections)) if (ends(c).has(id)) related.add(cid);
      for (const t of m.policy_targets) if (t.endsWith(`/${id}`)) related.add(t.split('/')[0]!);
      return m.event_audit.filter((a) => related.has(String(a.aggregate_id))).map((a) => a.sequence);
    },
  };
};

describe('reports over a projected fleet', () => {
  let h: SqlHarness;
  let p: Projector;
  let model: ReadModel;
  let expected: ModelSnapshot;
  let x: ReturnType<typeof expectationsOf>;
  const report = (name: string, params = {}) => runReport(model, name, params);

  beforeAll(async () => {
    h = await createSqlHarness('sqlp_reports');
    await h.publish(generateFleet({ resources: 300, events: 3000, seed: 7 }));
    p = await h.start(await h.adapter('cim'));
    await h.waitForCheckpoint(p, h.stored.length);
    model = await h.readModel('cim');
    expected = h.expected();
    x = expectationsOf(expected);
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
    await h?.close();
  });

  it('holds exactly the model a direct fold of the events predicts', async () => {
    expect(await h.snapshot('cim')).toEqual(expected);
    expect(await p.status()).toMatchObject({ checkpoint: 3000, dead_lettered: 0, lag_events: 0 });
  });

  it('inventory, IP usage and connections match the fold', async () => {
    expect(sortRows(await report('inventory'))).toEqual(sortRows(x.inventory));
    expect(x.inventory.some((r) => r.status === 'decommissioned')).toBe(true);
    expect(sortRows(await report('ip-usage'))).toEqual(sortRows(x.ipUsage));
    expect(x.ipUsage.some((n) => n.used_addresses > 0)).toBe(true);
    expect(sortRows(await report('connections'))).toEqual(sortRows(x.connections));
    expect(x.connections.some((c) => c.severed_connections > 0)).toBe(true);
  });

  it('orphaned interfaces, software and policy coverage match the fold', async () => {
    expect(sortRows(await report('orphaned-interfaces'))).toEqual(sortRows(x.orphaned));
    expect(x.orphaned.length).toBeGreaterThan(0);
    expect(sortRows(await report('software'))).toEqual(sortRows(x.software));
    expect(sortRows(await report('software-placement'))).toEqual(sortRows(x.placement));
    const one = x.placement[0]!;
    expect(await report('software-placement', { software: one.name })).toHaveLength(
      x.placement.filter((s) => s.name === one.name).length,
    );
    expect(sortRows(await report('policy-coverage'))).toEqual(sortRows(x.coverage));
    expect(x.coverage.find((c) => c.kind === 'any')!.covered).toBeGreaterThan(0);
  });

  it('tells the change history of a resource by id or hostname, with correlation and causation', async () => {
    const lengths = Object.keys(expected.compute_resources).map(
      (id) => [id, x.historyOf(id).length] as const,
    );
    const busiest = lengths.sort((a, b) => b[1] - a[1])[0]![0];
    const rows = await report('history', { resource: busiest });
    expect(rows.map((r) => r.sequence)).toEqual(x.historyOf(busiest));
    expect(rows.length).toBeGreaterThan(3);
    const hostname = String(expected.compute_resources[busiest]!.hostname);
    expect(await report('history', { resource: hostname.toUpperCase() })).toEqual(rows);
    const first = expected.event_audit.find((a) => a.sequence === rows[0]!.sequence)!;
    expect(rows[0]).toMatchObject({ correlation_id: first.correlation_id, causation_id: first.causation_id });
    await expect(report('history', { resource: 'nope.example' })).rejects.toThrow(
      /no resource 'nope.example'/,
    );
    await expect(report('history')).rejects.toThrow(/needs a resource/);
  });

  it('has a registry the CLI can list, and rejects unknown names', async () => {
    expect(Object.keys(REPORTS)).toContain('policy-coverage');
    await expect(Promise.resolve().then(() => runReport(model, 'bogus'))).rejects.toThrow(
      /unknown report 'bogus'/,
    );
  });

  it('draws the live topology as Mermaid', async () => {
    const text = await topologyMermaid(model);
    expect(text.startsWith('flowchart LR\n')).toBe(true);
    const live = x.connections.length;
    expect(text.match(/\["[^"]+<br\/>[a-z0-9_]+"\]/g)?.length).toBe(live);
    const activeLinks = Object.values(expected.connections).filter((c) => c.status === 'active').length;
    expect(text.match(/ ---\|"/g)?.length).toBe(activeLinks);
    expect(text).toMatch(/subgraph site_0\["[a-z0-9]+"\]/);
    const site = String(Object.values(expected.compute_resources)[0]!.site);
    const one = await topologyMermaid(model, { site, networks: false });
    expect(one).not.toMatch(/\{\{/);
  });
});
