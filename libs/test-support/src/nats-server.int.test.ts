import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { isTestSupportError } from './errors.js';
import { DEFAULT_NATS_URL, natsTargets, reachNats, startNewestNats } from './nats-server.js';
import { dockerEngineReachable } from './reach-service.js';
import { uniqueStreamName } from './unique-name.js';
import { waitFor } from './wait-for.js';

const versionParts = (version: string) => version.split(/[.-]/).slice(0, 3).map(Number);
const isNewerThan = (version: string, than: string) => {
  const [a, b] = [versionParts(version), versionParts(than)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return false;
};

async function canConnect(url: string): Promise<boolean> {
  try {
    await (await connect({ servers: url, reconnect: false, timeout: 1_000 })).close();
    return true;
  } catch {
    return false;
  }
}

describe('reachNats', () => {
  it('reaches the machine NATS server with JetStream enabled', async () => {
    const nats = await reachNats(process.env.NATS_URL || DEFAULT_NATS_URL);
    expect(nats.version).toMatch(/^\d+\.\d+\.\d+/);
    const nc = await connect({ servers: nats.url });
    try {
      const info = await (await jetstreamManager(nc)).getAccountInfo();
      expect(info.limits).toBeDefined();
    } finally {
      await nc.close();
    }
  });

  it('fails loudly, naming the URL and how to start NATS, when nothing answers and no Docker runs', async () => {
    const url = 'nats://127.0.0.1:1';
    if (await dockerEngineReachable()) {
      await expect(reachNats(url)).resolves.toMatchObject({ url: expect.stringMatching(/^nats:\/\//) });
      return;
    }
    const error = await reachNats(url).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTestSupportError(error) && error.code).toBe('SERVICE_UNREACHABLE');
    expect(String((error as Error).message)).toContain(url);
    expect(String((error as Error).message)).toContain('start-stop-daemon --start --oknodo');
  });
});

describe('startNewestNats', () => {
  it('starts a newer nats-server than Debian bookworm’s 2.9.10 with JetStream, then stops it', async () => {
    const nats = await startNewestNats();
    try {
      expect(isNewerThan(nats.version, '2.9.10')).toBe(true);
      const nc = await connect({ servers: nats.url });
      try {
        expect(nc.info?.version).toBe(nats.version);
        const jsm = await jetstreamManager(nc);
        const stream = await jsm.streams.add({ name: uniqueStreamName('probe'), subjects: ['probe.>'] });
        expect(stream.config.subjects).toEqual(['probe.>']);
      } finally {
        await nc.close();
      }
    } finally {
      await nats.stop();
    }
    expect(await canConnect(nats.url)).toBe(false);
    expect(existsSync(nats.storeDir)).toBe(false);
    await nats.stop(); // a second stop is harmless
  });

  it('gives each server its own port and storage folder', async () => {
    const [a, b] = await Promise.all([startNewestNats(), startNewestNats()]);
    try {
      expect(a.url).not.toBe(b.url);
      expect(a.storeDir).not.toBe(b.storeDir);
      expect(await canConnect(a.url)).toBe(true);
      expect(await canConnect(b.url)).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('dies with its test process, even one killed with SIGKILL', async () => {
    const script = `
      const { startNewestNats } = await import(${JSON.stringify(fileURLToPath(new URL('./nats-server.ts', import.meta.url)))});
      const nats = await startNewestNats();
      console.log(JSON.stringify({ url: nats.url, storeDir: nats.storeDir }));
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const { url, storeDir } = JSON.parse(line.toString()) as { url: string; storeDir: string };
    expect(existsSync(storeDir)).toBe(true);
    expect(url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    expect(await canConnect(url)).toBe(true);
    child.kill('SIGKILL');
    await waitFor(async () => !(await canConnect(url)), { timeoutMs: 10_000, message: `${url} to stop` });
    await waitFor(() => !existsSync(storeDir), { timeoutMs: 5_000, message: `${storeDir} to be removed` });
  });
});

// The documented use: resolve the targets at collection time and run a suite per server.
const targets = await natsTargets();

describe('natsTargets', () => {
  it('lists the Debian server, then a newer one', () => {
    expect(targets.map((t) => t.name)).toEqual(['debian', 'newest']);
    expect(targets[0]?.url).toBe(process.env.NATS_URL || DEFAULT_NATS_URL);
    expect(isNewerThan(targets[1]?.version ?? '0', '2.9.10')).toBe(true);
  });

  it('starts the newest server once per test file', async () => {
    expect(await natsTargets()).toBe(targets);
  });
});

describe.each(targets)('on $name NATS $version', ({ url, version }) => {
  it('serves JetStream', async () => {
    const nc = await connect({ servers: url });
    try {
      expect(nc.info?.version).toBe(version);
      expect(nc.info?.jetstream).toBe(true);
      const jsm = await jetstreamManager(nc);
      const name = uniqueStreamName('target');
      await jsm.streams.add({ name, subjects: [`${name.toLowerCase()}.>`] });
      expect((await jsm.getAccountInfo()).streams).toBeGreaterThanOrEqual(1);
      await jsm.streams.delete(name);
    } finally {
      await nc.close();
    }
  });
});
