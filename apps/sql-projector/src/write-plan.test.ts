import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Effect } from './effects.js';
import { NetworkIndex } from './network-index.js';
import { addToPlan, emptyPlan, linkToFinalNetworks, planSize } from './write-plan.js';

type Op =
  | { kind: 'put'; id: string; row: Record<string, number> }
  | { kind: 'patch'; id: string; set: Record<string, number> };

const effectOf = (op: Op): Effect =>
  (op.kind === 'put'
    ? { kind: 'put', table: 'networks', row: { id: op.id, ...op.row } }
    : { kind: 'patch', table: 'networks', id: op.id, set: op.set }) as unknown as Effect;

describe('write plan', () => {
  it('folds a patch into an earlier put, lets a put replace earlier patches, merges patches', () => {
    const plan = addToPlan(emptyPlan(), [
      effectOf({ kind: 'put', id: 'a', row: { x: 1, y: 1 } }),
      effectOf({ kind: 'patch', id: 'a', set: { y: 2 } }),
      effectOf({ kind: 'patch', id: 'b', set: { x: 1 } }),
      effectOf({ kind: 'patch', id: 'b', set: { y: 3 } }),
      effectOf({ kind: 'patch', id: 'c', set: { x: 1 } }),
      effectOf({ kind: 'put', id: 'c', row: { x: 9, y: 9 } }),
      { kind: 'policy_targets', policy_id: 'p', resource_ids: ['r1'] },
      { kind: 'policy_targets', policy_id: 'p', resource_ids: ['r2', 'r3'] },
    ]);
    const networks = plan.entities.networks;
    expect([...networks.puts]).toEqual([
      ['a', { id: 'a', x: 1, y: 2 }],
      ['c', { id: 'c', x: 9, y: 9 }],
    ]);
    expect([...networks.patches]).toEqual([['b', { x: 1, y: 3 }]]);
    expect([...plan.policyTargets]).toEqual([['p', ['r2', 'r3']]]);
    expect(planSize(plan)).toBe(5);
  });

  it('merges into its own copies, never into the objects of the effects it was given', () => {
    const put = effectOf({ kind: 'put', id: 'a', row: { x: 1 } });
    const first = effectOf({ kind: 'patch', id: 'b', set: { x: 1 } });
    const plan = addToPlan(emptyPlan(), [
      put,
      first,
      effectOf({ kind: 'patch', id: 'a', set: { x: 2 } }),
      effectOf({ kind: 'patch', id: 'b', set: { y: 3 } }),
    ]);
    expect(plan.entities.networks.puts.get('a')).toEqual({ id: 'a', x: 2 });
    expect(plan.entities.networks.patches.get('b')).toEqual({ x: 1, y: 3 });
    expect(put).toEqual(effectOf({ kind: 'put', id: 'a', row: { x: 1 } }));
    expect(first).toEqual(effectOf({ kind: 'patch', id: 'b', set: { x: 1 } }));
  });

  it('links the addresses it writes to the networks as they stand at the end of the batch', () => {
    const address = (a: string, network_id: string | null) => ({
      resource_id: 'r',
      interface_name: 'eth0',
      position: 0,
      address: a,
      ip: a.split('/')[0]!,
      prefix_length: 24,
      network_id,
    });
    const plan = addToPlan(emptyPlan(), [
      {
        kind: 'interfaces',
        resource_id: 'r',
        interfaces: [],
        addresses: [address('10.0.0.5/24', null), address('10.0.9.5/24', 'old')],
      },
      { kind: 'relink', cidr: '10.0.0.0/24' },
    ]);
    linkToFinalNetworks(plan, NetworkIndex.of([['n1', '10.0.0.0/24']]));
    expect(plan.interfaces.get('r')!.addresses.map((a) => a.network_id)).toEqual(['n1', null]);
    const untouched = addToPlan(emptyPlan(), [
      { kind: 'interfaces', resource_id: 'r', interfaces: [], addresses: [address('10.0.9.5/24', 'kept')] },
    ]);
    linkToFinalNetworks(untouched, NetworkIndex.empty);
    expect(untouched.interfaces.get('r')!.addresses[0]!.network_id).toBe('kept');
  });

  it('executing the plan (puts, then patches of existing rows) equals applying the effects one by one', () => {
    const id = fc.constantFrom('a', 'b', 'c');
    const values = fc.dictionary(fc.constantFrom('x', 'y', 'z'), fc.integer(), { maxKeys: 3 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), id, row: values }),
      fc.record({ kind: fc.constant('patch' as const), id, set: values }),
    );
    fc.assert(
      fc.property(fc.subarray(['a', 'b', 'c']), fc.array(op, { maxLength: 12 }), (existing, ops) => {
        const initial = () => new Map(existing.map((k) => [k, { id: k, x: 0 } as Record<string, unknown>]));
        const sequential = initial();
        for (const o of ops) {
          if (o.kind === 'put') sequential.set(o.id, { id: o.id, ...o.row });
          else if (sequential.has(o.id)) sequential.set(o.id, { ...sequential.get(o.id), ...o.set });
        }
        const plan = addToPlan(emptyPlan(), ops.map(effectOf)).entities.networks;
        const batched = initial();
        for (const [k, row] of plan.puts) batched.set(k, row as unknown as Record<string, unknown>);
        for (const [k, set] of plan.patches)
          if (batched.has(k)) batched.set(k, { ...batched.get(k), ...set });
        expect(Object.fromEntries(batched)).toEqual(Object.fromEntries(sequential));
        for (const k of plan.patches.keys()) expect(plan.puts.has(k)).toBe(false);
      }),
    );
  });
});
