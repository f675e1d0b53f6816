import { COMMANDS, createEvent, newId, rootIdentity } from '@cim/contract';
import { describe, expect, it } from 'vitest';
import { isDiscoveryError } from './errors.js';
import type { Facts } from './facts.js';
import { formatPlan } from './format-plan.js';
import { planCommands } from './plan-commands.js';
import { DISCOVERED_BY, PENDING_RESOURCE_ID, type PlannedCommand } from './planned-command.js';
import { StateFold } from './state-fold.js';
import { applyPlan, stateAfter, webServerFacts } from './test-facts.fixture.js';

const names = (planned: readonly PlannedCommand[]) => planned.map((c) => c.name);

/** Every planned payload must pass the contract's command schema, or the service would reject it. */
function expectValid(planned: readonly PlannedCommand[]): void {
  for (const c of planned) {
    const parsed = COMMANDS[c.name].safeParse(c.payload);
    expect(parsed.success, `${c.name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
  }
}

/** Facts, the state after planning and applying them once, and the plan of a second run with `changed` facts. */
function secondRun(change: (f: Facts) => void, options?: Parameters<typeof planCommands>[2]) {
  const facts = webServerFacts();
  const fold = stateAfter(facts, planCommands(facts, new StateFold(facts.hostname).snapshot(), options));
  const changed = webServerFacts();
  change(changed);
  const state = fold.snapshot();
  const planned = planCommands(changed, state, options);
  expectValid(planned);
  return { state, planned, fold };
}

describe('planCommands on the first run', () => {
  const facts = webServerFacts();
  const planned = planCommands(facts, new StateFold(facts.hostname).snapshot());

  it('registers, defines the networks, configures the selected software and measures, in that order', () => {
    expect(names(planned)).toEqual([
      'compute.register',
      'network.define',
      'network.define',
      'software.configure',
      'software.configure',
      'software.configure',
      'software.configure',
      'compute.record-measurement',
    ]);
    expectValid(planned);
  });

  it('registers the machine with its capacities, OS and normalised interfaces', () => {
    const register = planned[0];
    expect(register?.name).toBe('compute.register');
    expect(register?.payload).toMatchObject({
      hostname: 'web-01',
      resource_type: 'virtual_machine',
      cpu_cores: 4,
      memory_mb: 8192,
      storage_gb: 100,
      os: 'Debian GNU/Linux 12 (bookworm), kernel 6.1.0-18-amd64 x64',
      interfaces: [
        {
          name: 'eth0',
          mac: 'aa:bb:cc:00:00:01',
          ips: ['10.0.1.5/24', '2001:db8:1::5/64'],
          speed_mbps: 1000,
        },
      ],
      labels: { discovered_by: DISCOVERED_BY },
    });
  });

  it('defines each interface network once, with the default gateway where it lies inside', () => {
    const networks = planned.filter((c) => c.name === 'network.define').map((c) => c.payload);
    expect(networks).toEqual([
      { name: '10.0.1.0/24', cidr: '10.0.1.0/24', gateway: '10.0.1.1' },
      { name: '2001:db8:1::/64', cidr: '2001:db8:1::/64' },
    ]);
  });

  it('models listening services and allowlisted software, not every package', () => {
    const software = planned.flatMap((c) => (c.name === 'software.configure' ? [c.payload] : []));
    expect(software.map((s) => [s.name, s.kind, s.ports])).toEqual([
      ['nginx', 'service', [80, 443]],
      ['nodejs', 'package', []],
      ['openssh-server', 'service', [22]],
      ['typescript', 'package', []],
    ]);
    for (const s of software) {
      expect(s.resource_id).toBe(PENDING_RESOURCE_ID);
      expect(s.config).toMatchObject({ discovered_by: DISCOVERED_BY });
    }
  });

  it('ignores ephemeral listeners: nodejs (allowlisted) is a package, not a service on port 41234', () => {
    const node = planned.find((c) => c.name === 'software.configure' && c.payload.name === 'nodejs');
    expect(node?.payload).toMatchObject({ kind: 'package', ports: [] });
  });

  it('measures with the facts’ utilization and collection time', () => {
    expect(planned.at(-1)?.payload).toEqual({
      resource_id: PENDING_RESOURCE_ID,
      cpu_utilization: 0.25,
      memory_utilization: 0.5,
      disk_utilization: 0.3,
      network_throughput_mbps: 12.5,
      uptime_seconds: 3600,
      measured_at: '2025-03-01T12:00:00.000Z',
    });
  });

  it('models every package with software: all', () => {
    const all = planCommands(facts, new StateFold(facts.hostname).snapshot(), { software: 'all' });
    expect(all.filter((c) => c.name === 'software.configure')).toHaveLength(facts.software.length);
    expectValid(all);
  });

  it('formats the plan as a table for --dry-run', () => {
    const text = formatPlan(planned);
    expect(text.split('\n')[0]).toMatch(/^COMMAND\s+TARGET\s+REASON$/);
    expect(text).toContain('network.define              10.0.1.0/24');
    expect(text).toContain('7 changes and the measurement');
  });
});

describe('planCommands on later runs', () => {
  it('plans only the measurement when nothing changed', () => {
    const { planned, state } = secondRun(() => {});
    expect(names(planned)).toEqual(['compute.record-measurement']);
    expect(planned[0]?.payload).toMatchObject({ resource_id: state.resource?.id });
    expect(formatPlan(planned)).toContain('no changes; only the measurement');
  });

  it('updates the full interface set, and defines the new network, when an interface appears', () => {
    const { planned, state } = secondRun((f) => {
      f.interfaces.push({ name: 'eth1', ips: ['10.0.2.5/24'], kind: 'ethernet', operstate: 'up' });
    });
    expect(names(planned)).toEqual(['compute.update', 'network.define', 'compute.record-measurement']);
    const update = planned[0];
    expect(update?.payload).toEqual({
      resource_id: state.resource?.id,
      interfaces: [
        expect.objectContaining({ name: 'eth0' }),
        { name: 'eth1', ips: ['10.0.2.5/24'], kind: 'ethernet' },
      ],
    });
    expect(update?.reason).toBe('interfaces +eth1');
    expect(planned[1]?.payload).toMatchObject({ cidr: '10.0.2.0/24' });
  });

  it('updates the interfaces, and defines nothing, when an interface disappears', () => {
    const first = secondRun((f) => {
      f.interfaces.push({ name: 'eth1', ips: ['10.0.2.5/24'], kind: 'ethernet', operstate: 'up' });
    });
    applyPlan(first.fold, first.planned);
    const planned = planCommands(webServerFacts(), first.fold.snapshot());
    expectValid(planned);
    expect(names(planned)).toEqual(['compute.update', 'compute.record-measurement']);
    expect(planned[0]?.payload).toEqual({
      resource_id: first.state.resource?.id,
      interfaces: [expect.objectContaining({ name: 'eth0' })],
    });
    expect(planned[0]?.reason).toBe('interfaces −eth1');
  });

  it('updates only the capacities that changed', () => {
    const { planned } = secondRun((f) => {
      f.memoryMb = 16_384;
      f.os.kernel = '6.1.0-20-amd64';
    });
    expect(names(planned)).toEqual(['compute.update', 'compute.record-measurement']);
    expect(Object.keys(planned[0]?.payload ?? {}).sort()).toEqual(['memory_mb', 'os', 'resource_id']);
  });

  it('reconfigures software whose version changed, keeping its aggregate', () => {
    const { planned, state } = secondRun((f) => {
      const nginx = f.software.find((s) => s.name === 'nginx');
      if (nginx) nginx.version = '1.24.0-1';
    });
    expect(names(planned)).toEqual(['software.configure', 'compute.record-measurement']);
    const existing = state.software.find((s) => s.name === 'nginx');
    expect(planned[0]?.payload).toMatchObject({
      software_id: existing?.id,
      resource_id: state.resource?.id,
      name: 'nginx',
      version: '1.24.0-1',
      ports: [80, 443],
    });
    expect(planned[0]?.reason).toBe('nginx: version 1.22.1-9 → 1.24.0-1');
  });

  it('removes software discovery created once its package manager no longer lists it', () => {
    const { planned, state } = secondRun((f) => {
      f.software = f.software.filter((s) => s.name !== 'openssh-server');
      f.services = f.services.filter((s) => s.process !== 'sshd');
    });
    expect(names(planned)).toEqual(['software.remove', 'compute.record-measurement']);
    expect(planned[0]?.payload).toMatchObject({
      software_id: state.software.find((s) => s.name === 'openssh-server')?.id,
    });
  });

  it('keeps tracking an installed service that stopped listening (and does not remove it)', () => {
    const { planned } = secondRun((f) => {
      f.services = f.services.filter((s) => s.process !== 'sshd');
    });
    expect(names(planned)).toEqual(['software.configure', 'compute.record-measurement']);
    expect(planned[0]?.payload).toMatchObject({ name: 'openssh-server', kind: 'package', ports: [] });
  });

  it('removes nothing of a package manager whose listing failed', () => {
    const { planned } = secondRun((f) => {
      f.software = f.software.filter((s) => s.manager !== 'npm');
      f.softwareManagers = f.softwareManagers.map((m) =>
        m.manager === 'npm' ? { ...m, count: 0, error: 'npm ls timed out' } : m,
      );
    });
    expect(names(planned)).toEqual(['compute.record-measurement']);
  });

  it('leaves software an operator configured alone and adds no second one of that name', () => {
    const facts = webServerFacts();
    const fold = new StateFold(facts.hostname);
    applyPlan(fold, planCommands(facts, fold.snapshot()).slice(0, 1)); // the registration only
    const resourceId = fold.snapshot().resource?.id ?? '';
    fold.apply(
      createEvent('SoftwareConfigured', {
        aggregate_id: newId(),
        aggregate_version: 1,
        identity: rootIdentity(newId()),
        payload: { resource_id: resourceId, name: 'nginx', version: '1.18-custom' },
      }),
    );
    const planned = planCommands(facts, fold.snapshot());
    const software = planned.flatMap((c) => (c.name.startsWith('software.') ? [c] : []));
    expect(software.map((c) => ('name' in c.payload ? c.payload.name : c.name))).toEqual([
      'nodejs',
      'openssh-server',
      'typescript',
    ]);
  });

  it('keeps an operator’s more specific resource type', () => {
    const { fold } = secondRun(() => {});
    const id = fold.snapshot().resource?.id ?? '';
    fold.apply(
      createEvent('ComputeUpdated', {
        aggregate_id: id,
        aggregate_version: 9,
        identity: rootIdentity(newId()),
        payload: { resource_type: 'container_host' },
      }),
    );
    expect(names(planCommands(webServerFacts(), fold.snapshot()))).toEqual(['compute.record-measurement']);
  });

  it('registers again after the resource was decommissioned', () => {
    const { fold } = secondRun(() => {});
    fold.apply(
      createEvent('ComputeDecommissioned', {
        aggregate_id: fold.snapshot().resource?.id ?? '',
        aggregate_version: 9,
        identity: rootIdentity(newId()),
        payload: {},
      }),
    );
    const planned = planCommands(webServerFacts(), fold.snapshot());
    expect(planned[0]?.name).toBe('compute.register');
    expect(planned.filter((c) => c.name === 'network.define')).toEqual([]);
  });
});

describe('planCommands edge cases', () => {
  it('rejects a hostname the contract cannot hold', () => {
    const facts = { ...webServerFacts(), hostname: 'bad_host' };
    expect(() => planCommands(facts, new StateFold('bad_host').snapshot())).toThrow(
      expect.objectContaining({ code: 'INVALID_FACTS' }),
    );
    try {
      planCommands(facts, new StateFold('bad_host').snapshot());
    } catch (e) {
      expect(isDiscoveryError(e)).toBe(true);
    }
  });
});
