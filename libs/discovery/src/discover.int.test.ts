import os from 'node:os';
import { type CommandService, startCommandService } from '@cim/command-service';
import { decodeEvent, type InfrastructureEvent } from '@cim/contract';
import { EventStore } from '@cim/event-store';
import { natsTargets, uniqueName, uniqueStreamName } from '@cim/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover } from './discover.js';
import { isDiscoveryError } from './errors.js';
import { networkOf } from './plan-networks.js';

/** The events appended after `fromSequence`. */
async function eventsAfter(store: EventStore, fromSequence: number): Promise<InfrastructureEvent[]> {
  const events: InfrastructureEvent[] = [];
  for await (const stored of store.readAll({ fromSequence: fromSequence + 1 })) {
    const decoded = decodeEvent(stored.data);
    if (!decoded.ok) throw new Error(decoded.reason);
    events.push(decoded.event);
  }
  return events;
}

describe.each(await natsTargets())('discover on $name NATS $version', ({ url }) => {
  const stream = uniqueStreamName('discover');
  const subjectRoot = uniqueName('discroot');
  const commandPrefix = `${uniqueName('disc')}.cmd`;
  let store: EventStore;
  let service: CommandService;

  beforeAll(async () => {
    store = await EventStore.connect({ connection: { servers: url }, stream: { name: stream, subjectRoot } });
    service = await startCommandService({ connection: store.connection, stream, subjectRoot, commandPrefix });
  });

  afterAll(async () => {
    await service?.stop();
    // The JetStream API directly: this package does not depend on a JetStream client of its own.
    await store?.connection
      .request(`$JS.API.STREAM.DELETE.${stream}`, '', { timeout: 5_000 })
      .catch(() => {});
    await store?.close();
  });

  it('plans on a dry run and publishes nothing', async () => {
    const requests: string[] = [];
    const spy = store.connection.subscribe(`${commandPrefix}.>`, {
      callback: (_, m) => {
        requests.push(m.subject);
      },
    });
    const report = await discover({ store, commandPrefix, dryRun: true });
    await store.connection.flush();
    spy.unsubscribe();

    expect(report.dryRun).toBe(true);
    expect(report.outcomes.every((o) => o.status === 'planned')).toBe(true);
    expect(report.outcomes[0]?.command.name).toBe('compute.register');
    expect(report.outcomes.at(-1)?.command.name).toBe('compute.record-measurement');
    expect(requests).toEqual([]);
    expect(await store.lastSequence()).toBe(0);
  });

  it('registers the machine, its networks and software, then measures it (first run)', async () => {
    const report = await discover({ store, commandPrefix, dryRun: false });
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    const events = await eventsAfter(store, 0);
    expect(events.map((e) => e.event_type)).toEqual(report.outcomes.map((o) => eventTypeOf(o.command.name)));

    const registered = events[0];
    if (registered?.event_type !== 'ComputeRegistered') throw new Error('no ComputeRegistered first');
    expect(registered.aggregate_id).toBe(report.resourceId);
    expect(registered.payload.hostname).toBe(os.hostname().toLowerCase());
    expect(registered.payload.cpu_cores).toBe(os.cpus().length);
    expect(registered.payload.interfaces.map((i) => i.name)).toEqual(
      report.facts.interfaces.map((i) => i.name),
    );
    expect(registered.payload.interfaces.length).toBeGreaterThan(0);

    const cidrs = new Set(report.facts.interfaces.flatMap((i) => i.ips.flatMap((ip) => networkOf(ip) ?? [])));
    const defined = events.flatMap((e) => (e.event_type === 'NetworkDefined' ? [e.payload.cidr] : []));
    expect(new Set(defined)).toEqual(cidrs);

    for (const e of events) {
      expect(e.correlation_id).toBe(report.runId);
      if (e.event_type === 'SoftwareConfigured') expect(e.payload.resource_id).toBe(report.resourceId);
    }
    expect(events.filter((e) => e.event_type === 'SoftwareConfigured').length).toBeGreaterThan(0);
    const last = events.at(-1);
    expect(last?.event_type).toBe('ComputeMeasured');
    expect(last?.aggregate_id).toBe(report.resourceId);
  });

  it('records only a measurement when run again on the unchanged machine', async () => {
    const before = await store.lastSequence();
    const report = await discover({ store, commandPrefix, dryRun: false });
    expect(report.outcomes.map((o) => `${o.command.name}: ${o.command.reason}`)).toEqual([
      expect.stringMatching(/^compute\.record-measurement: /),
    ]);
    const events = await eventsAfter(store, before);
    expect(events.map((e) => e.event_type)).toEqual(['ComputeMeasured']);
    expect(events[0]?.aggregate_id).toBe(report.resourceId);
  });

  it('plans only the measurement on a dry run once the model is current, and appends nothing', async () => {
    const before = await store.lastSequence();
    const report = await discover({ store, commandPrefix, dryRun: true });
    expect(report.outcomes.map((o) => o.command.name)).toEqual(['compute.record-measurement']);
    expect(await store.lastSequence()).toBe(before);
  });

  it('says to start the command service when none answers', async () => {
    const error = await discover({ store, commandPrefix: `${uniqueName('nobody')}.cmd`, dryRun: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDiscoveryError(error) && error.code).toBe('COMMAND_SERVICE_UNAVAILABLE');
    expect((error as Error).message).toContain('start the command service with `cim serve`');
  });
});

function eventTypeOf(command: string): string {
  const types: Record<string, string> = {
    'compute.register': 'ComputeRegistered',
    'compute.update': 'ComputeUpdated',
    'compute.record-measurement': 'ComputeMeasured',
    'network.define': 'NetworkDefined',
    'software.configure': 'SoftwareConfigured',
    'software.remove': 'SoftwareRemoved',
  };
  return types[command] ?? command;
}
