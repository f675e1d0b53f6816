import {
  createEvent,
  type EventType,
  type InfrastructureEvent,
  newId,
  type PayloadInputOf,
  rootIdentity,
} from '@cim/contract';
import { foldBatch, type StreamEvent } from '@cim/projection-kit';
import { describe, expect, it } from 'vitest';
import type { Effect } from './effects.js';
import { initialModelState, sqlProjection } from './model.js';

const at = '2025-02-01T10:00:00.000Z';
const who = rootIdentity(newId());
let sequence = 0;
const item = <T extends EventType>(
  type: T,
  id: string,
  version: number,
  payload: PayloadInputOf<T>,
): StreamEvent => ({
  sequence: ++sequence,
  subject: 'infrastructure.x',
  timestamp: new Date(at),
  event: createEvent(type, {
    aggregate_id: id,
    aggregate_version: version,
    identity: who,
    occurred_at: at,
    payload,
  }) as InfrastructureEvent,
});
const without = (effects: Effect[], kind: Effect['kind']) => effects.filter((e) => e.kind !== kind);

describe('sql projection (pure)', () => {
  const net = newId();
  const host = newId();

  it('registers a resource as a whole row with its interfaces, addresses linked to known networks', () => {
    const { state, effects } = foldBatch(sqlProjection, initialModelState(), [
      item('NetworkDefined', net, 1, { name: 'lan', cidr: '10.0.1.0/24', vlan_id: 10 }),
      item('ComputeRegistered', host, 1, {
        hostname: 'Web-01',
        resource_type: 'vm',
        interfaces: [
          { name: 'eth0', ips: ['10.0.1.5/24', '192.168.9.9/24'] },
          { name: 'lo', kind: 'loopback', ips: [] },
        ],
      }),
    ]);
    expect(state.networks.cidrOf(net)).toBe('10.0.1.0/24');
    const put = effects.find((e) => e.kind === 'put' && e.table === 'compute_resources');
    expect(put).toMatchObject({
      row: {
        hostname: 'web-01',
        resource_type: 'virtual_machine',
        category: 'compute',
        status: 'active',
        registered_at: at,
        cpu_utilization: null,
      },
    });
    const ifaces = effects.find((e) => e.kind === 'interfaces');
    expect(ifaces).toMatchObject({
      interfaces: [
        { name: 'eth0', position: 0 },
        { name: 'lo', position: 1, kind: 'loopback' },
      ],
      addresses: [
        { address: '10.0.1.5/24', ip: '10.0.1.5', prefix_length: 24, network_id: net },
        { address: '192.168.9.9/24', network_id: null },
      ],
    });
    expect(effects.filter((e) => e.kind === 'audit')).toHaveLength(2);
    expect(effects).toContainEqual({ kind: 'relink', cidr: '10.0.1.0/24' });
  });

  it('turns measurements and updates into patches of only the fields they carry', () => {
    const { effects } = foldBatch(sqlProjection, initialModelState(), [
      item('ComputeMeasured', host, 2, { cpu_utilization: 0.5 }),
      item('ComputeUpdated', host, 3, { resource_type: 'firewall', status: 'maintenance' }),
      item('ComputeDecommissioned', host, 4, {}),
    ]);
    expect(without(effects, 'audit')).toEqual([
      {
        kind: 'patch',
        table: 'compute_resources',
        id: host,
        set: { cpu_utilization: 0.5, measured_at: at, aggregate_version: 2 },
      },
      {
        kind: 'patch',
        table: 'compute_resources',
        id: host,
        set: {
          resource_type: 'firewall',
          category: 'security',
          status: 'maintenance',
          updated_at: at,
          aggregate_version: 3,
        },
      },
      {
        kind: 'patch',
        table: 'compute_resources',
        id: host,
        set: {
          status: 'decommissioned',
          decommissioned_at: at,
          decommission_reason: null,
          updated_at: at,
          aggregate_version: 4,
        },
      },
    ]);
  });

  it('keeps explicit nulls of network updates, and relinks when a network goes away', () => {
    const defined = foldBatch(sqlProjection, initialModelState(), [
      item('NetworkDefined', net, 1, { name: 'lan', cidr: '10.0.1.0/24', vlan_id: 10 }),
    ]);
    const { state, effects } = foldBatch(sqlProjection, defined.state, [
      item('NetworkUpdated', net, 2, { vlan_id: null }),
      item('NetworkRemoved', net, 3, { reason: 'gone' }),
    ]);
    expect(without(effects, 'audit')).toEqual([
      {
        kind: 'patch',
        table: 'networks',
        id: net,
        set: { vlan_id: null, updated_at: at, aggregate_version: 2 },
      },
      {
        kind: 'patch',
        table: 'networks',
        id: net,
        set: { status: 'removed', removed_at: at, removed_reason: 'gone', aggregate_version: 3 },
      },
      { kind: 'relink', cidr: '10.0.1.0/24' },
    ]);
    expect(state.networks.size).toBe(0);
    expect(defined.state.networks.size).toBe(1);
  });

  it('writes each policy target once', () => {
    const policy = newId();
    const { effects } = foldBatch(sqlProjection, initialModelState(), [
      item('PolicySet', policy, 1, { name: 'p', kind: 'backup', target_ids: [host, host] }),
    ]);
    expect(effects).toContainEqual({ kind: 'policy_targets', policy_id: policy, resource_ids: [host] });
  });

  it('audits every event with its identity and stream sequence', () => {
    const e = item('SoftwareRemoved', newId(), 2, {});
    const { effects } = foldBatch(sqlProjection, initialModelState(), [e]);
    expect(effects.at(-1)).toEqual({
      kind: 'audit',
      row: {
        sequence: e.sequence,
        event_id: e.event.event_id,
        event_type: 'SoftwareRemoved',
        aggregate_type: 'software',
        aggregate_id: e.event.aggregate_id,
        aggregate_version: 2,
        correlation_id: who.correlation_id,
        causation_id: who.causation_id,
        occurred_at: at,
        schema_version: 1,
      },
    });
  });
});
