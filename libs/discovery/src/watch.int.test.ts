import { type CommandService, startCommandService } from '@cim/command-service';
import { decodeEvent, type InfrastructureEvent } from '@cim/contract';
import { EventStore } from '@cim/event-store';
import { natsTargets, uniqueName, uniqueStreamName, waitFor } from '@cim/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandOutcome, DiscoveryReport } from './discover.js';
import type { Facts } from './facts.js';
import { webServerFacts } from './test-facts.fixture.js';
import { watchDiscovery } from './watch.js';

describe.each(await natsTargets())('watchDiscovery on $name NATS $version', ({ url }) => {
  const stream = uniqueStreamName('watch');
  const subjectRoot = uniqueName('watchroot');
  const commandPrefix = `${uniqueName('watch')}.cmd`;
  let store: EventStore;
  let service: CommandService;

  beforeAll(async () => {
    store = await EventStore.connect({ connection: { servers: url }, stream: { name: stream, subjectRoot } });
    service = await startCommandService({ connection: store.connection, stream, subjectRoot, commandPrefix });
  });

  afterAll(async () => {
    await service?.stop();
    await store?.connection
      .request(`$JS.API.STREAM.DELETE.${stream}`, '', { timeout: 5_000 })
      .catch(() => {});
    await store?.close();
  });

  it('measures every run and reports changes only when the machine changed', async () => {
    // Recorded facts stand in for the machine, so the test can change it between runs.
    let facts: Facts = webServerFacts();
    const runs: DiscoveryReport[] = [];
    const changes: CommandOutcome[][] = [];
    const errors: unknown[] = [];
    const watch = watchDiscovery({
      store,
      commandPrefix,
      intervalMs: 20,
      facts: async () => facts,
      onRun: (r) => runs.push(r),
      onChange: (c) => changes.push(c),
      onError: (e) => errors.push(e),
    });
    try {
      await waitFor(() => runs.length >= 3, { timeoutMs: 20_000, message: 'three runs' });
      expect(errors).toEqual([]);
      expect(changes).toHaveLength(1);
      expect(changes[0]?.[0]?.command.name).toBe('compute.register');
      expect(runs.slice(1, 3).map((r) => r.outcomes.map((o) => `${o.command.name} ${o.status}`))).toEqual([
        ['compute.record-measurement accepted'],
        ['compute.record-measurement accepted'],
      ]);

      // An upgrade and a new NIC.
      facts = webServerFacts();
      const nginx = facts.software.find((s) => s.name === 'nginx');
      if (nginx) nginx.version = '1.24.0-1';
      facts.interfaces.push({ name: 'eth1', ips: ['10.0.9.5/24'], kind: 'ethernet', operstate: 'up' });
      await waitFor(() => changes.length >= 2, { timeoutMs: 20_000, message: 'the change to be reported' });
      expect(changes[1]?.map((o) => `${o.command.name} ${o.status} ${o.command.reason}`)).toEqual([
        'compute.update accepted interfaces +eth1',
        'network.define accepted new network on eth1 (10.0.9.5/24)',
        'software.configure accepted nginx: version 1.22.1-9 → 1.24.0-1',
      ]);
    } finally {
      await watch.stop();
    }
    expect(errors).toEqual([]);
    const runsAtStop = watch.runs;
    await new Promise((r) => setTimeout(r, 100));
    expect(watch.runs).toBe(runsAtStop);

    const events: InfrastructureEvent[] = [];
    for await (const stored of store.readAll()) {
      const decoded = decodeEvent(stored.data);
      if (decoded.ok) events.push(decoded.event);
    }
    expect(events.filter((e) => e.event_type === 'ComputeRegistered')).toHaveLength(1);
    expect(events.filter((e) => e.event_type === 'ComputeMeasured')).toHaveLength(runsAtStop);
    const update = events.find((e) => e.event_type === 'ComputeUpdated');
    expect(update?.event_type === 'ComputeUpdated' && update.payload.interfaces?.map((i) => i.name)).toEqual([
      'eth0',
      'eth1',
    ]);
  });
});
