import { COMMANDS, formatIssues, isUuidV7, newId, subjectFor } from '@cim/contract';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventIdFor } from './command-ids.js';
import { decide } from './decide.js';
import { accepted, codeOf, execute } from './test-commands.fixture.js';
import { WriteModel } from './write-model.js';

let m: WriteModel;
beforeEach(() => {
  m = new WriteModel();
});

const server = (hostname: string, interfaces: { name: string; mac?: string }[] = []) =>
  ({ hostname, resource_type: 'physical_server', interfaces }) as const;

describe('compute.register', () => {
  it('emits ComputeRegistered v1 with a deterministic UUID v7 event id and root identity', () => {
    const commandId = newId();
    const d = execute(m, 'compute.register', server('web-01'), commandId);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.event.event_type).toBe('ComputeRegistered');
    expect(subjectFor(d.event.event_type)).toBe('infrastructure.compute.registered');
    expect(d.event.event_id).toBe(eventIdFor(commandId));
    expect(isUuidV7(d.event.event_id)).toBe(true);
    expect(isUuidV7(d.event.aggregate_id)).toBe(true);
    expect(d.event.aggregate_version).toBe(1);
    expect(d.event.correlation_id).toBe(commandId);
    expect(d.event.causation_id).toBe(commandId);
  });

  it('decides the same ids for the same command id (retries are idempotent)', () => {
    const commandId = newId();
    const payload = COMMANDS['compute.register'].parse(server('web-01'));
    const ctx = {
      commandId,
      identity: { correlation_id: commandId, causation_id: commandId },
      now: '2025-01-01T00:00:00.000Z',
    };
    const a = decide(m, { name: 'compute.register', payload }, ctx);
    const b = decide(m, { name: 'compute.register', payload }, ctx);
    expect(a).toEqual(b);
  });

  it('passes a given correlation and causation through', () => {
    const commandId = newId();
    const identity = { correlation_id: newId(), causation_id: newId() };
    const d = decide(
      m,
      { name: 'compute.register', payload: COMMANDS['compute.register'].parse(server('a')) },
      {
        commandId,
        identity,
        now: new Date().toISOString(),
      },
    );
    expect(d.ok && [d.event.correlation_id, d.event.causation_id]).toEqual([
      identity.correlation_id,
      identity.causation_id,
    ]);
  });

  it('rejects a hostname already used by an active resource, in any case', () => {
    const first = accepted(execute(m, 'compute.register', server('web-01')));
    const d = execute(m, 'compute.register', server('WEB-01'));
    expect(d).toEqual({
      ok: false,
      rejection: {
        code: 'DUPLICATE_HOSTNAME',
        message: `hostname 'web-01' is already used by resource ${first}`,
      },
    });
  });

  it('lets a decommissioned resource hostname be reused', () => {
    const first = accepted(execute(m, 'compute.register', server('web-01')));
    accepted(execute(m, 'compute.decommission', { resource_id: first }));
    expect(codeOf(execute(m, 'compute.register', server('web-01')))).toBe('ACCEPTED');
  });

  it('rejects a MAC already on another live resource, whatever its spelling', () => {
    const first = accepted(
      execute(m, 'compute.register', server('a', [{ name: 'eth0', mac: 'aa:bb:cc:dd:ee:01' }])),
    );
    const d = execute(m, 'compute.register', server('b', [{ name: 'eth0', mac: 'AABB.CCDD.EE01' }]));
    expect(codeOf(d)).toBe('DUPLICATE_MAC');
    expect(!d.ok && d.rejection.message).toContain(first);
    accepted(execute(m, 'compute.decommission', { resource_id: first }));
    expect(
      codeOf(execute(m, 'compute.register', server('b', [{ name: 'eth0', mac: 'AABB.CCDD.EE01' }]))),
    ).toBe('ACCEPTED');
  });

  it('rejects duplicate interface names or MACs within one resource at validation', () => {
    const twice = COMMANDS['compute.register'].safeParse(server('a', [{ name: 'eth0' }, { name: 'eth0' }]));
    expect(twice.success).toBe(false);
    if (!twice.success)
      expect(formatIssues(twice.error, 'payload')).toContain("duplicate interface name 'eth0'");
    const macs = COMMANDS['compute.register'].safeParse(
      server('a', [
        { name: 'eth0', mac: 'aa:bb:cc:dd:ee:01' },
        { name: 'eth1', mac: 'AA-BB-CC-DD-EE-01' },
      ]),
    );
    expect(macs.success).toBe(false);
  });

  it('accepts a given UUID v7 resource id and refuses another version or one in use', () => {
    const id = newId();
    expect(accepted(execute(m, 'compute.register', { ...server('a'), resource_id: id }))).toBe(id);
    expect(codeOf(execute(m, 'compute.register', { ...server('b'), resource_id: id }))).toBe(
      'VALIDATION_FAILED',
    );
    const v4 = '0b6a1f64-3f7e-4c43-9f1e-6a3c2b1d4e5f';
    const d = execute(m, 'compute.register', { ...server('c'), resource_id: v4 });
    expect(!d.ok && d.rejection).toEqual({
      code: 'VALIDATION_FAILED',
      message: `resource_id '${v4}' must be a UUID v7`,
    });
  });

  it('rejects an invalid hostname at validation with a clear message', () => {
    const r = COMMANDS['compute.register'].safeParse(server('web_01!'));
    expect(!r.success && formatIssues(r.error, 'payload')).toMatch(
      /payload.hostname: invalid hostname 'web_01!'/,
    );
  });
});

describe('compute.update, decommission and record-measurement', () => {
  it('updates a live resource and bumps its version', () => {
    const id = accepted(execute(m, 'compute.register', server('a')));
    const d = execute(m, 'compute.update', { resource_id: id, cpu_cores: 16 });
    expect(d.ok && [d.event.event_type, d.event.aggregate_version, d.event.payload]).toEqual([
      'ComputeUpdated',
      2,
      { cpu_cores: 16 },
    ]);
    expect(m.resources.get(id)?.version).toBe(2);
  });

  it('rejects renaming onto another live hostname but allows keeping its own', () => {
    accepted(execute(m, 'compute.register', server('a')));
    const b = accepted(execute(m, 'compute.register', server('b')));
    expect(codeOf(execute(m, 'compute.update', { resource_id: b, hostname: 'a' }))).toBe(
      'DUPLICATE_HOSTNAME',
    );
    expect(codeOf(execute(m, 'compute.update', { resource_id: b, hostname: 'b' }))).toBe('ACCEPTED');
    expect(codeOf(execute(m, 'compute.update', { resource_id: b, hostname: 'c' }))).toBe('ACCEPTED');
    expect(m.activeHostnames.get('c')).toBe(b);
    expect(m.activeHostnames.has('b')).toBe(false);
  });

  it('rejects taking another resource MAC in a new interface set, allows keeping its own', () => {
    accepted(execute(m, 'compute.register', server('a', [{ name: 'eth0', mac: '00:00:00:00:00:01' }])));
    const b = accepted(
      execute(m, 'compute.register', server('b', [{ name: 'eth0', mac: '00:00:00:00:00:02' }])),
    );
    const steal = execute(m, 'compute.update', {
      resource_id: b,
      interfaces: [{ name: 'eth1', mac: '00:00:00:00:00:01' }],
    });
    expect(codeOf(steal)).toBe('DUPLICATE_MAC');
    const keep = execute(m, 'compute.update', {
      resource_id: b,
      interfaces: [
        { name: 'eth0', mac: '00:00:00:00:00:02' },
        { name: 'eth1', mac: '00:00:00:00:00:03' },
      ],
    });
    expect(codeOf(keep)).toBe('ACCEPTED');
  });

  it('rejects unknown ids and anything after decommission', () => {
    const unknown = newId();
    expect(codeOf(execute(m, 'compute.update', { resource_id: unknown, cpu_cores: 1 }))).toBe(
      'UNKNOWN_RESOURCE',
    );
    expect(codeOf(execute(m, 'compute.decommission', { resource_id: unknown }))).toBe('UNKNOWN_RESOURCE');
    expect(
      codeOf(execute(m, 'compute.record-measurement', { resource_id: unknown, cpu_utilization: 0.1 })),
    ).toBe('UNKNOWN_RESOURCE');
    const id = accepted(execute(m, 'compute.register', server('a')));
    expect(codeOf(execute(m, 'compute.record-measurement', { resource_id: id, cpu_utilization: 0.4 }))).toBe(
      'ACCEPTED',
    );
    expect(codeOf(execute(m, 'compute.decommission', { resource_id: id, reason: 'eol' }))).toBe('ACCEPTED');
    const update = execute(m, 'compute.update', { resource_id: id, cpu_cores: 1 });
    expect(!update.ok && update.rejection).toEqual({
      code: 'DECOMMISSIONED',
      message: `resource ${id} ('a') is decommissioned`,
    });
    expect(codeOf(execute(m, 'compute.record-measurement', { resource_id: id, error_rate: 0 }))).toBe(
      'DECOMMISSIONED',
    );
    expect(codeOf(execute(m, 'compute.decommission', { resource_id: id }))).toBe('DECOMMISSIONED');
  });

  it('refuses to drop an interface that is still connected', () => {
    const a = accepted(execute(m, 'compute.register', server('a', [{ name: 'eth0' }, { name: 'eth1' }])));
    const b = accepted(execute(m, 'compute.register', server('b', [{ name: 'eth0' }])));
    accepted(
      execute(m, 'connection.establish', {
        a: { resource_id: a, interface: 'eth1' },
        b: { resource_id: b, interface: 'eth0' },
      }),
    );
    const drop = execute(m, 'compute.update', { resource_id: a, interfaces: [{ name: 'eth0' }] });
    expect(codeOf(drop)).toBe('ALREADY_CONNECTED');
    expect(codeOf(execute(m, 'compute.update', { resource_id: a, interfaces: [{ name: 'eth1' }] }))).toBe(
      'ACCEPTED',
    );
  });
});

describe('networks', () => {
  it('defines a network and rejects the same CIDR while it is defined', () => {
    const id = accepted(
      execute(m, 'network.define', { name: 'lan', cidr: '10.0.1.0/24', vlan_id: 10, gateway: '10.0.1.1' }),
    );
    const dup = execute(m, 'network.define', { name: 'other', cidr: '10.0.1.0/24' });
    expect(!dup.ok && dup.rejection).toEqual({
      code: 'DUPLICATE_NETWORK',
      message: `CIDR 10.0.1.0/24 is already defined by network ${id} ('lan')`,
    });
    expect(codeOf(execute(m, 'network.define', { name: 'super', cidr: '10.0.0.0/16' }))).toBe('ACCEPTED');
    accepted(execute(m, 'network.remove', { network_id: id }));
    expect(codeOf(execute(m, 'network.define', { name: 'again', cidr: '10.0.1.0/24' }))).toBe('ACCEPTED');
  });

  it('rejects invalid CIDRs and VLANs at validation and a gateway outside the CIDR', () => {
    const cidr = COMMANDS['network.define'].safeParse({ name: 'x', cidr: '10.0.1.5/24' });
    expect(!cidr.success && formatIssues(cidr.error, 'payload')).toContain(
      'host bits are set; did you mean 10.0.1.0/24?',
    );
    for (const vlan_id of [0, 4095]) {
      const r = COMMANDS['network.define'].safeParse({ name: 'x', cidr: '10.0.0.0/24', vlan_id });
      expect(!r.success && formatIssues(r.error, 'payload')).toBe(
        'payload.vlan_id: VLAN id must be between 1 and 4094',
      );
    }
    const gw = execute(m, 'network.define', { name: 'x', cidr: '10.0.0.0/24', gateway: '10.0.9.1' });
    expect(!gw.ok && gw.rejection.code).toBe('VALIDATION_FAILED');
  });

  it('updates and removes only defined networks', () => {
    const unknown = newId();
    expect(codeOf(execute(m, 'network.update', { network_id: unknown, name: 'x' }))).toBe('UNKNOWN_NETWORK');
    const id = accepted(execute(m, 'network.define', { name: 'lan', cidr: '10.0.1.0/24', vlan_id: 10 }));
    const d = execute(m, 'network.update', { network_id: id, vlan_id: null, gateway: '10.0.1.254' });
    expect(d.ok && d.event.aggregate_version).toBe(2);
    expect(m.networks.get(id)?.vlan_id).toBeUndefined();
    expect(codeOf(execute(m, 'network.update', { network_id: id, gateway: '192.168.0.1' }))).toBe(
      'VALIDATION_FAILED',
    );
    accepted(execute(m, 'network.remove', { network_id: id }));
    expect(codeOf(execute(m, 'network.update', { network_id: id, name: 'y' }))).toBe('UNKNOWN_NETWORK');
    expect(codeOf(execute(m, 'network.remove', { network_id: id }))).toBe('UNKNOWN_NETWORK');
  });
});

describe('connections', () => {
  let a: string;
  let b: string;
  beforeEach(() => {
    a = accepted(execute(m, 'compute.register', server('a', [{ name: 'eth0' }, { name: 'eth1' }])));
    b = accepted(execute(m, 'compute.register', server('b', [{ name: 'eth0' }])));
  });

  it('joins two existing free interfaces and frees them when severed', () => {
    const link = { a: { resource_id: a, interface: 'eth0' }, b: { resource_id: b, interface: 'eth0' } };
    const id = accepted(execute(m, 'connection.establish', link));
    const again = execute(m, 'connection.establish', { ...link, a: { resource_id: a, interface: 'eth1' } });
    expect(!again.ok && again.rejection).toEqual({
      code: 'ALREADY_CONNECTED',
      message: `interface 'eth0' of resource ${b} ('b') is already connected (connection ${id})`,
    });
    accepted(execute(m, 'connection.sever', { connection_id: id }));
    expect(codeOf(execute(m, 'connection.sever', { connection_id: id }))).toBe('UNKNOWN_CONNECTION');
    expect(codeOf(execute(m, 'connection.establish', link))).toBe('ACCEPTED');
  });

  it('rejects unknown resources, unknown interfaces and decommissioned endpoints', () => {
    const ghost = newId();
    const toGhost = execute(m, 'connection.establish', {
      a: { resource_id: a, interface: 'eth0' },
      b: { resource_id: ghost, interface: 'eth0' },
    });
    expect(!toGhost.ok && toGhost.rejection).toEqual({
      code: 'UNKNOWN_RESOURCE',
      message: `unknown resource of endpoint b ${ghost}`,
    });
    const noIface = execute(m, 'connection.establish', {
      a: { resource_id: a, interface: 'eth9' },
      b: { resource_id: b, interface: 'eth0' },
    });
    expect(!noIface.ok && noIface.rejection).toEqual({
      code: 'UNKNOWN_INTERFACE',
      message: `resource ${a} ('a') has no interface 'eth9' (it has: eth0, eth1)`,
    });
    accepted(execute(m, 'compute.decommission', { resource_id: b }));
    const toRetired = execute(m, 'connection.establish', {
      a: { resource_id: a, interface: 'eth0' },
      b: { resource_id: b, interface: 'eth0' },
    });
    expect(codeOf(toRetired)).toBe('DECOMMISSIONED');
    expect(codeOf(execute(m, 'connection.sever', { connection_id: newId() }))).toBe('UNKNOWN_CONNECTION');
  });

  it('rejects joining an interface to itself at validation', () => {
    const self = { resource_id: a, interface: 'eth0' };
    expect(COMMANDS['connection.establish'].safeParse({ a: self, b: self }).success).toBe(false);
  });
});

describe('software and policies', () => {
  it('configures software on a live resource, reconfigures and removes it', () => {
    const r = accepted(execute(m, 'compute.register', server('a')));
    const sw = accepted(
      execute(m, 'software.configure', { resource_id: r, name: 'nginx', version: '1.25', ports: [80, 443] }),
    );
    const again = execute(m, 'software.configure', {
      software_id: sw,
      resource_id: r,
      name: 'nginx',
      version: '1.27',
    });
    expect(again.ok && again.event.aggregate_version).toBe(2);
    accepted(execute(m, 'software.remove', { software_id: sw }));
    expect(codeOf(execute(m, 'software.remove', { software_id: sw }))).toBe('UNKNOWN_SOFTWARE');
    expect(
      codeOf(execute(m, 'software.configure', { software_id: sw, resource_id: r, name: 'x', version: '1' })),
    ).toBe('UNKNOWN_SOFTWARE');
    expect(codeOf(execute(m, 'software.remove', { software_id: newId() }))).toBe('UNKNOWN_SOFTWARE');
  });

  it('rejects software on unknown or decommissioned resources', () => {
    expect(codeOf(execute(m, 'software.configure', { resource_id: newId(), name: 'x', version: '1' }))).toBe(
      'UNKNOWN_RESOURCE',
    );
    const r = accepted(execute(m, 'compute.register', server('a')));
    accepted(execute(m, 'compute.decommission', { resource_id: r }));
    expect(codeOf(execute(m, 'software.configure', { resource_id: r, name: 'x', version: '1' }))).toBe(
      'DECOMMISSIONED',
    );
  });

  it('sets policies on live resources and defined networks only', () => {
    const r = accepted(execute(m, 'compute.register', server('a')));
    const n = accepted(execute(m, 'network.define', { name: 'lan', cidr: '10.0.0.0/24' }));
    const p = accepted(execute(m, 'policy.set', { name: 'patch', kind: 'patching', target_ids: [r, n] }));
    const ghost = newId();
    const bad = execute(m, 'policy.set', { name: 'x', kind: 'backup', target_ids: [r, ghost] });
    expect(!bad.ok && bad.rejection).toEqual({
      code: 'UNKNOWN_RESOURCE',
      message: `unknown policy target ${ghost}`,
    });
    accepted(execute(m, 'network.remove', { network_id: n }));
    expect(codeOf(execute(m, 'policy.set', { name: 'x', kind: 'backup', target_ids: [n] }))).toBe(
      'UNKNOWN_NETWORK',
    );
    accepted(execute(m, 'compute.decommission', { resource_id: r }));
    expect(codeOf(execute(m, 'policy.set', { name: 'x', kind: 'backup', target_ids: [r] }))).toBe(
      'DECOMMISSIONED',
    );
    accepted(execute(m, 'policy.remove', { policy_id: p }));
    expect(codeOf(execute(m, 'policy.remove', { policy_id: p }))).toBe('UNKNOWN_POLICY');
    expect(codeOf(execute(m, 'policy.remove', { policy_id: newId() }))).toBe('UNKNOWN_POLICY');
  });
});
