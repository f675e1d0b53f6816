import { plantedAnomalies } from '@cim/fleet-generator';
import { describe, expect, it } from 'vitest';
import { fleetSpace } from './fleet-space.js';
import { answerQuery } from './query-answers.js';

const fleet = { resources: 500, events: 10_000, seed: 9 };
const view = fleetSpace(fleet);
const vms = view.live.filter((r) => r.type === 'virtual_machine' && r.samples > 0);
// A mid-sized VM (4 cores or more): the smallest ones sit on the border with containers.
const vm = vms.find((r) => r.coords[view.config.indexOf('cpu_cores')!]! >= 2)!;
const gone = view.snapshot.resources.find((r) => r.status === 'decommissioned');

const ok = <T extends { ok: boolean }>(reply: T): Extract<T, { ok: true }> => {
  if (!reply.ok) throw new Error(`expected success, got ${JSON.stringify(reply)}`);
  return reply as Extract<T, { ok: true }>;
};

describe('space queries', () => {
  it('classify: a VM is a virtual machine, with degrees summing to 1', () => {
    const reply = ok(answerQuery(view, 'classify', { id: vm.id }));
    expect(reply.concept).toBe('virtual_machine');
    expect(reply.resource?.hostname).toBe(vm.hostname);
    expect(reply.memberships.reduce((s, m) => s + m.degree, 0)).toBeCloseTo(1, 9);
  });

  it('classify: most VMs are nearest to the virtual-machine prototype', () => {
    const right = vms.filter((r) => {
      const reply = answerQuery(view, 'classify', { id: r.id });
      return reply.ok && reply.concept === 'virtual_machine';
    });
    expect(right.length / vms.length).toBeGreaterThan(0.85);
  });

  it('classify: a point given by qualities (a small container-sized spec)', () => {
    const reply = ok(
      answerQuery(view, 'classify', {
        qualities: { cpu_cores: 0.5, memory_mb: 512, storage_gb: 1, virtual_nic: 1 },
      }),
    );
    expect(reply.resource).toBeNull();
    expect(reply.concept).toBe('container');
  });

  it('similar: k nearest, nearest first, never the resource itself', () => {
    const reply = ok(answerQuery(view, 'similar', { id: vm.id, k: 5 }));
    expect(reply.results).toHaveLength(5);
    expect(reply.results.map((r) => r.id)).not.toContain(vm.id);
    const d = reply.results.map((r) => r.distance);
    expect([...d].sort((a, b) => a - b)).toEqual(d);
    expect(reply.results.every((r) => r.similarity > 0 && r.similarity <= 1)).toBe(true);
    expect(reply.results.filter((r) => r.resource_type === 'virtual_machine').length).toBeGreaterThanOrEqual(
      3,
    );
  });

  it('anomalies: planted anomalies lead the list, each with per-domain reasons', () => {
    const planted = new Set(plantedAnomalies(fleet).map((p) => p.resource_id));
    const reply = ok(answerQuery(view, 'anomalies', { k: 5 }));
    expect(reply.count).toBeGreaterThan(0);
    expect(reply.anomalies.filter((a) => planted.has(a.id)).length).toBeGreaterThanOrEqual(4);
    const first = reply.anomalies[0]!;
    expect(first.score).toBeGreaterThan(reply.threshold.value);
    expect(first.reasons[0]!.dimensions.length).toBeGreaterThan(0);
    expect(ok(answerQuery(view, 'anomalies', {})).anomalies.length).toBeLessThanOrEqual(20);
  });

  it('concepts: every concept with prototype in catalog units', () => {
    const reply = ok(answerQuery(view, 'concepts', {}));
    const vmConcept = reply.concepts.find((c) => c.key === 'virtual_machine')!;
    expect(vmConcept.members).toBeGreaterThan(50);
    expect(vmConcept.prototype.cpu_cores).toBeGreaterThan(1);
    expect(vmConcept.prototype.cpu_cores).toBeLessThan(16);
  });

  it('reject bad parameters with clear messages', () => {
    expect(answerQuery(view, 'similar', { id: vm.id, k: 0 })).toEqual({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: 'similar: k: k must be an integer from 1 to 100' },
    });
    expect(answerQuery(view, 'similar', { id: 'vm-1' })).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_REQUEST',
        message: expect.stringContaining('id must be a resource UUID, got "vm-1"'),
      },
    });
    expect(answerQuery(view, 'anomalies', { k: 'ten' })).toMatchObject({
      error: { code: 'INVALID_REQUEST' },
    });
    expect(answerQuery(view, 'concepts', { verbose: true })).toMatchObject({
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('verbose') },
    });
    expect(answerQuery(view, 'classify', { qualities: {} })).toMatchObject({
      error: { code: 'INVALID_REQUEST' },
    });
  });

  it('say when a resource is unknown or decommissioned', () => {
    expect(answerQuery(view, 'classify', { id: '01900000-0000-7000-8000-000000000000' })).toMatchObject({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: expect.stringContaining('no resource 01900000-0000-7000-8000-000000000000'),
      },
    });
    if (gone)
      expect(answerQuery(view, 'similar', { id: gone.id })).toMatchObject({
        error: { code: 'DECOMMISSIONED' },
      });
  });
});
