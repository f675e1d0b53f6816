import {
  type CommandName,
  type CommandPayloadInput,
  type CommandReply,
  commandSubject,
  decodeEvent,
  EVENT_HEADERS,
  type InfrastructureEvent,
  isUuidV7,
  newId,
} from '@cim/contract';
import { EventStore } from '@cim/event-store';
import { natsTargets, uniqueName, uniqueStreamName } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandService, type CommandServiceOptions, startCommandService } from './command-service.js';

type Reply = CommandReply<InfrastructureEvent>;

/** One isolated write side: its own stream, subject root and command prefix. */
function isolation() {
  return {
    stream: uniqueStreamName('cmd_events'),
    subjectRoot: uniqueName('cmdroot'),
    commandPrefix: `${uniqueName('cmd')}.cmd`,
  };
}

describe.each(await natsTargets())('command service on $name NATS $version', ({ url }) => {
  let nc: NatsConnection;
  const streams: string[] = [];
  const services: CommandService[] = [];

  const start = async (iso: ReturnType<typeof isolation>, extra: CommandServiceOptions = {}) => {
    if (!streams.includes(iso.stream)) streams.push(iso.stream);
    const service = await startCommandService({ natsUrl: url, ...iso, ...extra });
    services.push(service);
    return service;
  };

  const send = async <C extends CommandName>(
    iso: { commandPrefix: string },
    name: C,
    payload: CommandPayloadInput<C>,
    extra: { command_id?: string; correlation_id?: string; causation_id?: string } = {},
  ): Promise<Reply> => {
    const body = JSON.stringify({ command_id: newId(), ...extra, payload });
    const msg = await nc.request(commandSubject(name, iso.commandPrefix), body, { timeout: 10_000 });
    return msg.json<Reply>();
  };

  const ok = (reply: Reply): InfrastructureEvent => {
    if (!reply.ok) throw new Error(`rejected: ${reply.error.code} ${reply.error.message}`);
    expect(reply.events).toHaveLength(1);
    return reply.events[0]!;
  };

  const storedEvents = async (iso: ReturnType<typeof isolation>) => {
    const store = await EventStore.open(nc, {
      stream: { name: iso.stream, subjectRoot: iso.subjectRoot },
      ensureStream: false,
    });
    const events: InfrastructureEvent[] = [];
    for await (const stored of store.readAll()) {
      const decoded = decodeEvent(stored.data);
      if (decoded.ok) events.push(decoded.event);
    }
    await store.close();
    return events;
  };

  beforeAll(async () => {
    nc = await connect({ servers: url, noAsyncTraces: true });
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    const jsm = await jetstreamManager(nc);
    for (const name of streams) await jsm.streams.delete(name).catch(() => false);
    await nc.close();
  });

  describe('one instance', () => {
    const iso = isolation();
    beforeAll(async () => {
      await start(iso);
    });

    it('registers a resource: event on {root}.compute.registered with UUID v7 id and root identity', async () => {
      const sub = nc.subscribe(`${iso.subjectRoot}.compute.registered`, { max: 1 });
      const commandId = newId();
      const reply = await send(
        iso,
        'compute.register',
        {
          hostname: 'web-01',
          resource_type: 'vm',
          cpu_cores: 8,
          interfaces: [{ name: 'eth0', mac: 'AA:BB:CC:00:00:01', ips: ['10.0.0.5/24'] }],
        },
        { command_id: commandId },
      );
      const event = ok(reply);
      expect(reply).toMatchObject({ ok: true, command_id: commandId });
      expect(event).toMatchObject({
        event_type: 'ComputeRegistered',
        aggregate_type: 'compute',
        aggregate_version: 1,
        correlation_id: commandId,
        causation_id: commandId,
        payload: { hostname: 'web-01', resource_type: 'virtual_machine', cpu_cores: 8 },
      });
      expect(isUuidV7(event.event_id)).toBe(true);
      expect(isUuidV7(event.aggregate_id)).toBe(true);
      for await (const m of sub) {
        expect(m.headers?.get(EVENT_HEADERS.msgId)).toBe(event.event_id);
        expect(m.json()).toEqual(event);
      }
    });

    it('passes a caller correlation and causation to the events', async () => {
      const correlation_id = newId();
      const causation_id = newId();
      const event = ok(
        await send(
          iso,
          'network.define',
          { name: 'corr', cidr: '172.16.0.0/24' },
          { correlation_id, causation_id },
        ),
      );
      expect([event.correlation_id, event.causation_id]).toEqual([correlation_id, causation_id]);
    });

    it('rejects a duplicate hostname with a clear message and appends nothing', async () => {
      const first = ok(await send(iso, 'compute.register', { hostname: 'dup-01', resource_type: 'vm' }));
      const before = (await storedEvents(iso)).length;
      const reply = await send(iso, 'compute.register', {
        hostname: 'DUP-01',
        resource_type: 'physical_server',
      });
      expect(reply).toMatchObject({
        ok: false,
        error: {
          code: 'DUPLICATE_HOSTNAME',
          message: `hostname 'dup-01' is already used by resource ${first.aggregate_id}`,
        },
      });
      expect((await storedEvents(iso)).length).toBe(before);
    });

    it('answers malformed requests with typed errors', async () => {
      const bad = await nc.request(`${iso.commandPrefix}.compute.register`, 'not json', { timeout: 5_000 });
      expect(bad.json<Reply>()).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
      const unknown = await nc.request(`${iso.commandPrefix}.compute.explode`, '{}', { timeout: 5_000 });
      expect(unknown.json<Reply>()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
      const invalid = await send(iso, 'network.define', { name: 'n', cidr: '10.0.0.0/33', vlan_id: 4095 });
      expect(invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      expect(!invalid.ok && invalid.error.message).toMatch(
        /payload.cidr: invalid CIDR '10.0.0.0\/33'.*payload.vlan_id/,
      );
    });

    it('appends one event for a command sent twice, sequentially or at once, and replays the original', async () => {
      const command_id = newId();
      const payload = { hostname: 'idem-01', resource_type: 'vm' } as const;
      const first = await send(iso, 'compute.register', payload, { command_id });
      const second = await send(iso, 'compute.register', payload, { command_id });
      expect(second).toEqual({ ...first, duplicate: true });
      const concurrent_id = newId();
      const both = await Promise.all([
        send(
          iso,
          'compute.register',
          { hostname: 'idem-02', resource_type: 'vm' },
          { command_id: concurrent_id },
        ),
        send(
          iso,
          'compute.register',
          { hostname: 'idem-02', resource_type: 'vm' },
          { command_id: concurrent_id },
        ),
      ]);
      expect(both.map((r) => r.ok)).toEqual([true, true]);
      expect(both.filter((r) => r.ok && r.duplicate)).toHaveLength(1);
      const stored = await storedEvents(iso);
      expect(stored.filter((e) => e.event_id === ok(first).event_id)).toHaveLength(1);
      expect(stored.filter((e) => e.event_id === ok(both[0]!).event_id)).toHaveLength(1);
    });

    it('runs a whole scenario: network, resources, connection, software, policy, sever, decommission', async () => {
      const net = ok(
        await send(iso, 'network.define', {
          name: 'lan',
          cidr: '10.1.0.0/24',
          vlan_id: 100,
          gateway: '10.1.0.1',
        }),
      );
      expect(
        ok(await send(iso, 'network.update', { network_id: net.aggregate_id, vlan_id: 101 }))
          .aggregate_version,
      ).toBe(2);
      const dupNet = await send(iso, 'network.define', { name: 'again', cidr: '10.1.0.0/24' });
      expect(dupNet).toMatchObject({ ok: false, error: { code: 'DUPLICATE_NETWORK' } });
      const a = ok(
        await send(iso, 'compute.register', {
          hostname: 'sw-a',
          resource_type: 'switch',
          interfaces: [{ name: 'ge-0/0/1', mac: '02:00:00:00:0a:01', ips: ['10.1.0.2/24'] }],
        }),
      ).aggregate_id;
      const b = ok(
        await send(iso, 'compute.register', {
          hostname: 'srv-b',
          resource_type: 'physical_server',
          interfaces: [{ name: 'eth0', mac: '02:00:00:00:0b:01', ips: ['10.1.0.3/24'] }],
        }),
      ).aggregate_id;
      const macClash = await send(iso, 'compute.register', {
        hostname: 'srv-c',
        resource_type: 'vm',
        interfaces: [{ name: 'eth0', mac: '02-00-00-00-0B-01' }],
      });
      expect(macClash).toMatchObject({ ok: false, error: { code: 'DUPLICATE_MAC' } });
      const link = { a: { resource_id: a, interface: 'ge-0/0/1' }, b: { resource_id: b, interface: 'eth0' } };
      const conn = ok(
        await send(iso, 'connection.establish', { ...link, medium: 'fiber', speed_mbps: 10_000 }),
      );
      expect(await send(iso, 'connection.establish', link)).toMatchObject({
        ok: false,
        error: { code: 'ALREADY_CONNECTED' },
      });
      const sw = ok(
        await send(iso, 'software.configure', {
          resource_id: b,
          name: 'nginx',
          version: '1.27',
          ports: [443],
        }),
      );
      const pol = ok(
        await send(iso, 'policy.set', {
          name: 'patch-weekly',
          kind: 'patching',
          target_ids: [a, b, net.aggregate_id],
        }),
      );
      ok(
        await send(iso, 'compute.record-measurement', {
          resource_id: b,
          cpu_utilization: 0.42,
          latency_ms: 3,
        }),
      );
      ok(await send(iso, 'connection.sever', { connection_id: conn.aggregate_id, reason: 'rewire' }));
      ok(await send(iso, 'software.remove', { software_id: sw.aggregate_id }));
      ok(await send(iso, 'policy.remove', { policy_id: pol.aggregate_id }));
      const gone = ok(await send(iso, 'compute.decommission', { resource_id: b, reason: 'end of life' }));
      expect(gone.aggregate_version).toBe(3);
      const update = await send(iso, 'compute.update', { resource_id: b, cpu_cores: 4 });
      expect(update).toEqual({
        ok: false,
        command_id: expect.any(String),
        error: { code: 'DECOMMISSIONED', message: `resource ${b} ('srv-b') is decommissioned` },
      });
      const unknown = await send(iso, 'software.configure', {
        resource_id: newId(),
        name: 'x',
        version: '1',
      });
      expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_RESOURCE' } });
      ok(await send(iso, 'network.remove', { network_id: net.aggregate_id }));
      const types = (await storedEvents(iso)).map((e) => e.event_type);
      for (const t of [
        'NetworkDefined',
        'NetworkUpdated',
        'ConnectionEstablished',
        'ConnectionSevered',
        'SoftwareConfigured',
      ]) {
        expect(types).toContain(t);
      }
    });
  });

  describe('two instances on one stream', () => {
    const iso = isolation();
    let a: CommandService;
    let b: CommandService;
    beforeAll(async () => {
      a = await start(iso);
      b = await start(iso);
    });

    it('lets exactly one of 20 concurrent registrations of one hostname succeed', async () => {
      const replies = await Promise.all(
        Array.from({ length: 20 }, () =>
          send(iso, 'compute.register', { hostname: 'race-01', resource_type: 'vm' }),
        ),
      );
      const winners = replies.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      for (const r of replies.filter((x) => !x.ok)) {
        expect(!r.ok && ['DUPLICATE_HOSTNAME', 'VERSION_CONFLICT']).toContain(!r.ok && r.error.code);
      }
      const stored = (await storedEvents(iso)).filter(
        (e) => e.event_type === 'ComputeRegistered' && e.payload.hostname === 'race-01',
      );
      expect(stored).toHaveLength(1);
    });

    it('keeps hostnames unique under heavy interleaved load from both instances', async () => {
      const hostnames = Array.from({ length: 40 }, (_, i) => `load-${i}`);
      const replies = await Promise.all(
        Array.from({ length: 400 }, (_, i) =>
          send(iso, 'compute.register', { hostname: hostnames[i % hostnames.length]!, resource_type: 'vm' }),
        ),
      );
      const wins = replies
        .filter((r) => r.ok)
        .map((r) => (r.ok ? (r.events[0]!.payload as { hostname: string }).hostname : ''));
      expect(new Set(wins).size).toBe(wins.length);
      const stored = (await storedEvents(iso))
        .filter((e) => e.event_type === 'ComputeRegistered')
        .map((e) => (e.payload as { hostname: string }).hostname)
        .filter((h) => h.startsWith('load-'));
      expect(stored.sort()).toEqual(wins.sort());
      // Every hostname was free at some point, so every one was taken exactly once.
      expect(new Set(stored).size).toBe(hostnames.length);
      // Both instances served requests, and the loser of a race saw it as such.
      expect(a.stats.rollbacks + b.stats.rollbacks).toBeGreaterThan(0);
    });

    it('never connects one interface twice when both instances race to link the same ports', async () => {
      const ports = ['p1', 'p2', 'p3', 'p4'];
      const interfaces = ports.map((name) => ({ name }));
      const x = ok(
        await send(iso, 'compute.register', { hostname: 'patch-x', resource_type: 'switch', interfaces }),
      );
      const y = ok(
        await send(iso, 'compute.register', { hostname: 'patch-y', resource_type: 'switch', interfaces }),
      );
      const replies = await Promise.all(
        Array.from({ length: 48 }, (_, i) =>
          send(iso, 'connection.establish', {
            a: { resource_id: x.aggregate_id, interface: ports[i % 4]! },
            b: { resource_id: y.aggregate_id, interface: ports[Math.floor(i / 4) % 4]! },
          }),
        ),
      );
      const links = (await storedEvents(iso)).flatMap((e) =>
        e.event_type === 'ConnectionEstablished' && e.payload.a.resource_id === x.aggregate_id
          ? [e.payload]
          : [],
      );
      expect(links.length).toBe(replies.filter((r) => r.ok).length);
      const used = links.flatMap((l) => [`x/${l.a.interface}`, `y/${l.b.interface}`]);
      expect(new Set(used).size).toBe(used.length);
      expect(links.length).toBeGreaterThan(0);
      expect(links.length).toBeLessThanOrEqual(4);
    });

    it('sees commands served by the other instance', async () => {
      const event = ok(await send(iso, 'network.define', { name: 'seen', cidr: '192.168.77.0/24' }));
      const waitUntil = async (s: CommandService) => {
        for (let i = 0; i < 100 && !s.model.networks.has(event.aggregate_id); i++)
          await new Promise((r) => setTimeout(r, 20));
        return s.model.networks.has(event.aggregate_id);
      };
      expect([await waitUntil(a), await waitUntil(b)]).toEqual([true, true]);
    });

    it('replays a retried command after a restart, from the stream, without a second event', async () => {
      const command_id = newId();
      const first = await send(
        iso,
        'compute.register',
        { hostname: 'restart-01', resource_type: 'vm' },
        { command_id },
      );
      await a.stop();
      await b.stop();
      const c = await start(iso);
      expect(c.model.activeHostnames.has('restart-01')).toBe(true);
      const again = await send(
        iso,
        'compute.register',
        { hostname: 'restart-01', resource_type: 'vm' },
        { command_id },
      );
      expect(again).toEqual({ ...first, duplicate: true });
      const stored = await storedEvents(iso);
      expect(stored.filter((e) => e.event_id === ok(first).event_id)).toHaveLength(1);
    });
  });
});
