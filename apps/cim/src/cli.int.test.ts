import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type CommandService, startCommandService } from '@cim/command-service';
import { isUuidV7 } from '@cim/contract';
import { EventStore } from '@cim/event-store';
import { generateFleet } from '@cim/fleet-generator';
import { DEFAULT_NATS_URL, reachNats, uniqueName, uniqueStreamName } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const main = join(repoRoot, 'apps/cim/src/main.ts');
const nodeArgs = ['--conditions=@cim/source', '--import', 'tsx', main];

const { url } = await reachNats(process.env.NATS_URL || DEFAULT_NATS_URL);

type Isolation = {
  EVENT_STREAM: string;
  SUBJECT_ROOT: string;
  COMMAND_PREFIX: string;
};
const isolation = (): Isolation => ({
  EVENT_STREAM: uniqueStreamName('cli_events'),
  SUBJECT_ROOT: uniqueName('cliroot'),
  COMMAND_PREFIX: `${uniqueName('clicmd')}.cmd`,
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a child process, as a user would. */
function cim(args: string[], env: Partial<Isolation> & Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeArgs, ...args],
      { cwd: repoRoot, env: { ...process.env, NATS_URL: url, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts a long-running CLI command and resolves with the process once `ready` matches a stdout line. */
async function cimRunning(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; first: string }> {
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: repoRoot,
    env: { ...process.env, NATS_URL: url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) if (ready.test(line)) return { child, first: line };
  throw new Error(`cim ${args.join(' ')} ended before printing ${ready}`);
}

// Each case starts CLI processes (TypeScript via tsx): allow for slow, busy machines.
describe(`cim CLI against NATS at ${url}`, { timeout: 120_000 }, () => {
  const iso = isolation();
  let service: CommandService;
  let nc: NatsConnection;
  const streams = [iso.EVENT_STREAM];

  const lastSequence = async (stream = iso.EVENT_STREAM) =>
    (await (await jetstreamManager(nc)).streams.info(stream)).state.last_seq;

  beforeAll(async () => {
    nc = await connect({ servers: url });
    service = await startCommandService({
      natsUrl: url,
      stream: iso.EVENT_STREAM,
      subjectRoot: iso.SUBJECT_ROOT,
      commandPrefix: iso.COMMAND_PREFIX,
    });
  });

  afterAll(async () => {
    await service.stop();
    const jsm = await jetstreamManager(nc);
    for (const s of streams) await jsm.streams.delete(s).catch(() => false);
    await nc.close();
  });

  it('registers with --json, printing the event; a second register of the hostname fails clearly', async () => {
    const first = await cim(
      [
        'compute',
        'register',
        '--hostname',
        'web-01',
        '--type',
        'physical_server',
        '--cpu',
        '8',
        '--memory-mb',
        '32768',
        '--interface',
        'name=eth0,mac=AA:BB:CC:DD:EE:01,ip=10.0.0.5/24',
        '--json',
      ],
      iso,
    );
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const reply = JSON.parse(first.stdout);
    expect(reply.ok).toBe(true);
    const [event] = reply.events;
    expect(event).toMatchObject({
      event_type: 'ComputeRegistered',
      payload: {
        hostname: 'web-01',
        cpu_cores: 8,
        memory_mb: 32768,
        interfaces: [{ name: 'eth0', mac: 'aa:bb:cc:dd:ee:01', ips: ['10.0.0.5/24'] }],
      },
    });
    expect(isUuidV7(event.event_id)).toBe(true);
    expect(event.correlation_id).toBe(reply.command_id);

    const second = await cim(['compute', 'register', '--hostname', 'web-01', '--type', 'vm'], iso);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toBe(
      `cim: compute.register rejected (DUPLICATE_HOSTNAME): hostname 'web-01' is already used by resource ${event.aggregate_id}\n`,
    );

    const shown = await cim(['events', 'show', event.aggregate_id, '--json'], iso);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      aggregate_type: 'compute',
      events: [{ sequence: 1, event }],
    });
  });

  it('rejects bad input with exit code 2 and one line naming the problem, publishing nothing', async () => {
    const before = await lastSequence();
    const runs = await Promise.all([
      cim(['network', 'define', '--name', 'lan', '--cidr', '10.0.0.0/33'], iso),
      cim(['network', 'define', '--name', 'lan', '--cidr', '10.0.0.0/24', '--vlan', '4095'], iso),
      cim(['compute', 'register', '--hostname', 'bad_host!', '--type', 'vm'], iso),
      cim(
        ['compute', 'register', '--hostname', 'ok', '--type', 'vm', '--interface', 'name=eth0,mac=zz:zz'],
        iso,
      ),
      cim(['compute', 'register', '--hostname', 'ok', '--type', 'vm', '--colour', 'blue'], iso),
      cim(['compute', 'update', '0190aaaa-0000-7000-8000-000000000000', '--cpu', '4'], iso),
    ]);
    const lines = runs.map((r) => r.stderr.trim());
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(lines[0]).toBe(
      "cim: invalid network.define: --cidr: invalid CIDR '10.0.0.0/33' (expected e.g. 10.0.1.0/24)",
    );
    expect(lines[1]).toBe('cim: invalid network.define: --vlan: VLAN id must be between 1 and 4094');
    expect(lines[2]).toMatch(/^cim: invalid compute.register: --hostname: invalid hostname 'bad_host!'/);
    expect(lines[3]).toBe("cim: invalid compute.register: --interface #1 (mac): invalid MAC address 'zz:zz'");
    expect(lines[4]).toBe("error: unknown option '--colour'");
    expect(lines[5]).toBe(
      'cim: compute.update rejected (UNKNOWN_RESOURCE): unknown resource 0190aaaa-0000-7000-8000-000000000000',
    );
    for (const line of lines) expect(line.split('\n')).toHaveLength(1);
    expect(await lastSequence()).toBe(before);
  });

  it('names the URL when NATS is unreachable, and says to start `cim serve` when no service answers', async () => {
    const [down, noService] = await Promise.all([
      cim(['network', 'define', '--name', 'lan', '--cidr', '10.9.0.0/24'], {
        ...iso,
        NATS_URL: 'nats://127.0.0.1:1',
      }),
      cim(['network', 'define', '--name', 'lan', '--cidr', '10.9.0.0/24'], {
        ...iso,
        COMMAND_PREFIX: `${uniqueName('nobody')}.cmd`,
      }),
    ]);
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/^cim: cannot reach NATS at nats:\/\/127\.0\.0\.1:1 \(.+\)/);
    expect(noService.code).toBe(3);
    expect(noService.stderr).toMatch(/no command service answers on .*; start one with `cim serve`/);
  });

  it('runs a scenario end to end: network, link, software, policy, sever, decommission', async () => {
    const json = async (args: string[]) => {
      const run = await cim([...args, '--json'], iso);
      expect(run.stderr).toBe('');
      return JSON.parse(run.stdout).events[0];
    };
    await json([
      'network',
      'define',
      '--name',
      'lan',
      '--cidr',
      '10.0.0.0/24',
      '--vlan',
      '10',
      '--gateway',
      '10.0.0.1',
    ]);
    const [a, b] = await Promise.all([
      json([
        'compute',
        'register',
        '--hostname',
        'sw-01',
        '--type',
        'switch',
        '--interface',
        'name=ge-0/0/1',
      ]),
      json(['compute', 'register', '--hostname', 'db-01', '--type', 'server', '--interface', 'name=eth0']),
    ]);
    const link = await json([
      'connection',
      'establish',
      '--a',
      `${a.aggregate_id}:ge-0/0/1`,
      '--b',
      `${b.aggregate_id}:eth0`,
    ]);
    expect(link.payload).toMatchObject({ a: { interface: 'ge-0/0/1' }, b: { interface: 'eth0' } });
    const sw = await json([
      'software',
      'configure',
      '--resource',
      b.aggregate_id,
      '--name',
      'postgres',
      '--version',
      '16',
      '--port',
      '5432',
    ]);
    expect(sw.payload).toMatchObject({ name: 'postgres', version: '16', ports: [5432] });
    await json([
      'policy',
      'set',
      '--name',
      'nightly',
      '--kind',
      'backup',
      '--target',
      a.aggregate_id,
      b.aggregate_id,
    ]);
    await json(['compute', 'measure', b.aggregate_id, '--cpu-util', '0.4', '--latency-ms', '3']);
    await json(['connection', 'sever', link.aggregate_id]);
    const gone = await cim(['compute', 'decommission', b.aggregate_id, '--reason', 'eol'], iso);
    expect(gone.stdout).toMatch(/^ComputeDecommissioned compute \S+ v3 {2}reason=eol$/m);
    const late = await cim(['compute', 'update', b.aggregate_id, '--cpu', '2'], iso);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('DECOMMISSIONED');
  });

  it('tails the stream from a sequence as JSON lines', async () => {
    const { child, first } = await cimRunning(['events', 'tail', '--from-seq', '1', '--json'], iso, /^\{/);
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(JSON.parse(first)).toMatchObject({ sequence: 1, event: { event_type: 'ComputeRegistered' } });

    const filtered = await cimRunning(
      ['events', 'tail', '--subject', 'network.>', '--from-seq', '1'],
      iso,
      /^#/,
    );
    filtered.child.kill('SIGTERM');
    await once(filtered.child, 'exit');
    expect(filtered.first).toMatch(
      new RegExp(`^#\\d+ +\\S+ +${iso.SUBJECT_ROOT}\\.network\\.defined +NetworkDefined network `),
    );
  });

  it('says so when an aggregate has no events', async () => {
    const run = await cim(['events', 'show', '0190aaaa-0000-7000-8000-000000000000'], iso);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe(
      `cim: no events for aggregate 0190aaaa-0000-7000-8000-000000000000 in stream ${iso.EVENT_STREAM}\n`,
    );
  });

  it('seeds a generated fleet: the stream holds exactly what the generator produced', async () => {
    const seedIso = isolation();
    streams.push(seedIso.EVENT_STREAM);
    const run = await cim(['seed', '--resources', '200', '--seed', '7', '--json'], seedIso);
    expect(run.code).toBe(0);
    const expected = [...generateFleet({ resources: 200, seed: 7 })];
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ count: expected.length, appended: expected.length, duplicates: 0 });
    expect(result.events_per_second).toBeGreaterThan(0);
    const store = await EventStore.open(nc, {
      stream: { name: seedIso.EVENT_STREAM, subjectRoot: seedIso.SUBJECT_ROOT },
      ensureStream: false,
    });
    expect(await store.lastSequence()).toBe(expected.length);
    await store.close();
    const invalid = await cim(['seed', '--resources', '0'], seedIso);
    expect(invalid).toMatchObject({
      code: 2,
      stderr: 'cim: --resources must be a positive integer, got 0\n',
    });
  });

  it('`cim serve` runs the service in the foreground and exits 0 on SIGTERM', async () => {
    const serveIso = isolation();
    streams.push(serveIso.EVENT_STREAM);
    const { child } = await cimRunning(
      ['serve'],
      { ...serveIso, LOG_LEVEL: 'info' },
      /command service ready/,
    );
    const reply = await cim(['network', 'define', '--name', 'n', '--cidr', '192.168.0.0/24'], serveIso);
    expect(reply.code).toBe(0);
    expect(reply.stdout).toMatch(/^NetworkDefined network /);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});
