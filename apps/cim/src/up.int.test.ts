import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generateFleet } from '@cim/fleet-generator';
import type { ProjectorStatus } from '@cim/projection-kit';
import { createTestDatabase, type TestDatabase, uniqueName, waitFor } from '@cim/test-support';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const node = (args: string[]) =>
  [process.execPath, ['--conditions=@cim/source', '--import', 'tsx', main, ...args]] as const;
const RESOURCES = 60;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const descendants = async (pid: number): Promise<number[]> => {
  const { stdout } = await run('ps', ['-e', '-o', 'pid=,ppid=']);
  const children = new Map<number, number[]>();
  for (const line of stdout.trim().split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
};

describe('cim up, end to end', () => {
  const root = uniqueName('up');
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let up: ChildProcess;
  let output = '';
  beforeAll(async () => {
    db = await createTestDatabase('up');
    env = {
      ...process.env,
      EVENT_STREAM: root.toUpperCase(),
      SUBJECT_ROOT: root,
      COMMAND_PREFIX: `${root}_cmd`,
      ADMIN_PREFIX: `${root}_admin`,
      DLQ_PREFIX: `${root}_dlq`,
      DLQ_STREAM: `${root.toUpperCase()}_DLQ`,
      DATABASE_URL: db.url,
      SQL_QUERY_PREFIX: `${root}_sql`,
      SPACE_QUERY_PREFIX: `${root}_space`,
      LOG_LEVEL: 'warn',
    };
  });
  afterAll(async () => {
    if (up?.exitCode === null) up.kill('SIGKILL');
    const nc = await connect({ servers: process.env.NATS_URL || 'nats://127.0.0.1:4222' });
    const jsm = await jetstreamManager(nc);
    for (const s of [env.EVENT_STREAM!, env.DLQ_STREAM!]) await jsm.streams.delete(s).catch(() => {});
    await nc.close();
    await db?.drop();
  });

  it('brings the fleet up, seeds, catches every projector up, reports the seeded counts, and stops clean', async () => {
    const [cmd, args] = node(['up', '--random-ports', '--resources', String(RESOURCES)]);
    up = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    up.stdout?.on('data', (d) => {
      output += String(d);
    });
    up.stderr?.on('data', (d) => {
      output += String(d);
    });
    await waitFor(() => output.includes('the fleet is up'), {
      timeoutMs: 240_000,
      intervalMs: 500,
      message: `the fleet to come up:\n${output}`,
    });
    expect(output).toMatch(/neo4j-projector\s+disabled: .*NEO4J_URI/);
    expect(output).toMatch(/netbox-projector\s+disabled: .*NETBOX_URL/);

    const [c1, a1] = node(['status', '--json']);
    const statuses = JSON.parse((await run(c1, a1, { env })).stdout) as ProjectorStatus[];
    expect(statuses.map((s) => s.name).sort()).toHaveLength(3);
    for (const s of statuses) {
      expect(s).toMatchObject({ state: 'running', health: 'ok', lag_events: 0, dead_lettered: 0 });
      expect(s.checkpoint).toBe(s.stream_last_sequence);
    }

    // Expectation from the events themselves: every generated registration, plus this machine.
    const fleet = [...generateFleet({ resources: RESOURCES, seed: 42 })];
    const registered = fleet.filter((e) => e.event_type === 'ComputeRegistered').length + 1;
    const decommissioned = fleet.filter((e) => e.event_type === 'ComputeDecommissioned').length;
    const [c2, a2] = node(['report', 'inventory', '--json']);
    const rows = JSON.parse((await run(c2, a2, { env })).stdout) as { status: string; resources: number }[];
    expect(rows.reduce((n, r) => n + r.resources, 0)).toBe(registered);
    expect(rows.filter((r) => r.status === 'decommissioned').reduce((n, r) => n + r.resources, 0)).toBe(
      decommissioned,
    );

    const children = await descendants(up.pid!);
    expect(children.length).toBeGreaterThanOrEqual(4);
    up.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => up.once('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    // Helpers of the children (tsx's esbuild service) exit when their parent's pipe closes: allow a moment.
    const lingering = await waitFor(() => children.filter(alive).length === 0, { timeoutMs: 5_000 })
      .then(() => [])
      .catch(
        async () => (await run('ps', ['-o', 'pid=,args=', '-p', children.filter(alive).join(',')])).stdout,
      );
    expect(lingering).toEqual([]);
  }, 300_000);
});
