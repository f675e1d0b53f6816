import { describe, expect, it } from 'vitest';
import { decodeEvent } from './codec.js';
import { rootIdentity } from './identity.js';
import { newId } from './ids.js';
import { upcastPayload } from './upcasters.js';

const v1 = () => ({
  event_id: newId(),
  event_type: 'ComputeRegistered',
  aggregate_type: 'compute',
  aggregate_id: newId(),
  aggregate_version: 1,
  ...rootIdentity(newId()),
  occurred_at: '2025-03-01T10:00:00.000Z',
  schema_version: 1,
  payload: { hostname: 'db-01', type: 'bare_metal', cpus: 16, memory_gb: 64.5, os: 'debian 12' },
});

describe('upcasters', () => {
  it('upcasts ComputeRegistered v1 to v2 before validation', () => {
    const decoded = decodeEvent(v1());
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.upcastFrom).toBe(1);
    expect(decoded.event.schema_version).toBe(2);
    expect(decoded.event.payload).toEqual({
      hostname: 'db-01',
      resource_type: 'physical_server',
      cpu_cores: 16,
      memory_mb: 66048,
      os: 'debian 12',
      interfaces: [],
      labels: {},
    });
  });

  it('reports a missing upcaster step instead of guessing', () => {
    expect(upcastPayload('NetworkDefined', {}, 1, 3)).toEqual({
      ok: false,
      reason: 'no upcaster for NetworkDefined from schema_version 1 to 2',
    });
  });

  it('an upcast payload that is still invalid is a poison event with the reason', () => {
    const event = v1();
    const decoded = decodeEvent({ ...event, payload: { ...event.payload, type: 'toaster' } });
    expect(decoded).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
  });
});
