import { createEvent, type EventType, newId, type PayloadInputOf, rootIdentity } from '@cim/contract';
import { EventStore } from '@cim/event-store';
import { natsTargets, uniqueName, uniqueStreamName } from '@cim/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCurrentState } from './current-state.js';
import { StateFold } from './state-fold.js';

describe.each(await natsTargets())('loadCurrentState on $name NATS $version', ({ url }) => {
  const stream = uniqueStreamName('curstate');
  let store: EventStore;
  const versions = new Map<string, number>();

  const append = async <T extends EventType>(type: T, id: string, payload: PayloadInputOf<T>) => {
    const version = (versions.get(id) ?? 0) + 1;
    versions.set(id, version);
    const event = createEvent(type, {
      aggregate_id: id,
      aggregate_version: version,
      identity: rootIdentity(newId()),
      payload,
    });
    const result = await store.append(event as Parameters<EventStore['append']>[0]);
    expect(result.ok).toBe(true);
  };

  beforeAll(async () => {
    store = await EventStore.connect({
      connection: { servers: url },
      stream: { name: stream, subjectRoot: uniqueName('curroot') },
    });
  });

  afterAll(async () => {
    await store?.connection
      .request(`$JS.API.STREAM.DELETE.${stream}`, '', { timeout: 5_000 })
      .catch(() => {});
    await store?.close();
  });

  it('folds this host’s resource, every network and only this resource’s software, incrementally', async () => {
    const other = newId();
    const retired = newId();
    const mine = newId();
    const iface = { name: 'eth0', mac: 'aa:bb:cc:00:00:01', ips: ['10.0.1.5/24'] };
    await append('ComputeRegistered', other, { hostname: 'db-01', resource_type: 'vm' });
    await append('ComputeRegistered', retired, { hostname: 'web-01', resource_type: 'vm', cpu_cores: 2 });
    await append('ComputeDecommissioned', retired, {});
    await append('ComputeRegistered', mine, {
      hostname: 'WEB-01',
      resource_type: 'virtual_machine',
      cpu_cores: 4,
      interfaces: [iface],
    });
    await append('ComputeMeasured', mine, { cpu_utilization: 0.5 });
    const kept = newId();
    const dropped = newId();
    await append('NetworkDefined', kept, { name: 'lan', cidr: '10.0.1.0/24' });
    await append('NetworkDefined', dropped, { name: 'old', cidr: '10.0.7.0/24' });
    await append('NetworkRemoved', dropped, {});
    const nginx = newId();
    await append('SoftwareConfigured', nginx, { resource_id: mine, name: 'nginx', version: '1.22' });
    await append('SoftwareConfigured', newId(), { resource_id: other, name: 'postgresql', version: '15' });
    const gone = newId();
    await append('SoftwareConfigured', gone, { resource_id: mine, name: 'curl', version: '7' });
    await append('SoftwareRemoved', gone, {});

    const fold = new StateFold('web-01');
    const state = await loadCurrentState(store, 'Web-01', { fold });
    expect(state.resource).toMatchObject({ id: mine, hostname: 'web-01', cpu_cores: 4, status: 'active' });
    expect(state.resource?.interfaces).toEqual([{ ...iface, kind: 'ethernet' }]);
    expect([...state.definedCidrs]).toEqual(['10.0.1.0/24']);
    expect(state.software.map((s) => [s.id, s.name, s.version])).toEqual([[nginx, 'nginx', '1.22']]);
    expect(state.sequence).toBe(await store.lastSequence());
    expect(fold.skipped).toBe(0);

    // Continue the same fold: only the new events are read.
    await append('ComputeUpdated', mine, { memory_mb: 8192, interfaces: [] });
    await append('SoftwareConfigured', nginx, { resource_id: mine, name: 'nginx', version: '1.24' });
    const next = await loadCurrentState(store, 'web-01', { fold });
    expect(next.resource).toMatchObject({ id: mine, memory_mb: 8192, cpu_cores: 4, interfaces: [] });
    expect(next.software.map((s) => s.version)).toEqual(['1.24']);
    expect(next.sequence).toBe(state.sequence + 2);

    // A fresh load sees the same state as the incremental one.
    expect(await loadCurrentState(store, 'web-01')).toEqual(next);
  });

  it('refuses to continue a fold of another hostname', async () => {
    await expect(loadCurrentState(store, 'db-01', { fold: new StateFold('web-01') })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });
});
