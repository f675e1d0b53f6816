import { natsTargets, uniqueName } from '@cim/test-support';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KvCheckpointStore } from './kv-checkpoint.js';

describe.each(await natsTargets())('KV checkpoints on $name NATS $version', ({ url }) => {
  let nc: NatsConnection;
  const bucket = uniqueName('ckpt');
  beforeAll(async () => {
    nc = await connect({ servers: url });
  });
  afterAll(async () => {
    await new Kvm(nc)
      .open(bucket)
      .then((kv) => kv.destroy())
      .catch(() => {});
    await nc.close();
  });

  it('reads 0 for an unknown projector, then what was written, and 0 again after clear', async () => {
    const store = await KvCheckpointStore.open(nc, bucket);
    expect(await store.read('netbox')).toBe(0);
    await store.write('netbox', 41);
    await store.write('netbox', 42);
    expect(await store.read('netbox')).toBe(42);
    expect(await (await KvCheckpointStore.open(nc, bucket)).read('netbox')).toBe(42);
    await store.clear('netbox');
    expect(await store.read('netbox')).toBe(0);
  });
});
