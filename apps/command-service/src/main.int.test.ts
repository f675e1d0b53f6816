import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { newId } from '@cim/contract';
import { DEFAULT_NATS_URL, reachNats, uniqueName, uniqueStreamName } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const { url } = await reachNats(process.env.NATS_URL || DEFAULT_NATS_URL);

describe('command-service main', { timeout: 60_000 }, () => {
  it('serves until SIGTERM, answers what is in flight, and exits 0 with JSON logs', async () => {
    const env = {
      NATS_URL: url,
      EVENT_STREAM: uniqueStreamName('main_events'),
      SUBJECT_ROOT: uniqueName('mainroot'),
      COMMAND_PREFIX: `${uniqueName('maincmd')}.cmd`,
      LOG_LEVEL: 'info',
    };
    const child = spawn(process.execPath, ['--conditions=@cim/source', '--import', 'tsx', main], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const logs: Array<Record<string, unknown>> = [];
    const lines = createInterface({ input: child.stdout! });
    for await (const line of lines) {
      logs.push(JSON.parse(line));
      if (line.includes('command service ready')) break;
    }
    lines.on('line', (line) => logs.push(JSON.parse(line)));
    const nc = await connect({ servers: url });
    try {
      const pending = Array.from({ length: 20 }, (_, i) =>
        nc.request(
          `${env.COMMAND_PREFIX}.compute.register`,
          JSON.stringify({ command_id: newId(), payload: { hostname: `h-${i}`, resource_type: 'vm' } }),
          { timeout: 10_000 },
        ),
      );
      await nc.flush();
      child.kill('SIGTERM');
      const replies = await Promise.all(pending.map((p) => p.then((m) => m.json<{ ok: boolean }>())));
      expect(replies.every((r) => r.ok)).toBe(true);
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(logs.map((l) => l.msg)).toContain('command service stopped');
      expect(logs.every((l) => l.name === 'command-service' && typeof l.level === 'number')).toBe(true);
    } finally {
      await (await jetstreamManager(nc)).streams.delete(env.EVENT_STREAM).catch(() => false);
      await nc.close();
    }
  });
});
