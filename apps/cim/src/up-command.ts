import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DATABASE_URL } from '@cim/conceptual-space-projector';
import { discover } from '@cim/discovery';
import { generateFleet } from '@cim/fleet-generator';
import { appNodeOptions, type ProjectorStatus } from '@cim/projection-kit';
import type { Command } from 'commander';
import { fleetStatus } from './admin-client.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { ensureLocalNats, type LocalNats } from './local-nats.js';
import { connectNats, openStore } from './nats.js';
import { probePostgres } from './postgres-probe.js';
import { statusTable } from './status-table.js';
import { type ServiceSpec, Supervisor } from './supervisor.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** What `cim up` found out about the stores before starting the fleet. */
export interface FleetStores {
  /** The conceptual space's PostgreSQL (DATABASE_URL, else the local server) answers, or why not. */
  spaceStore: true | string;
}

/** The fleet `cim up` runs; a service whose store is not available is listed as disabled, with why. */
export interface FleetMember {
  app: string;
  port: number;
  enabled(stores: FleetStores): true | string;
}

export const FLEET: readonly FleetMember[] = [
  { app: 'command-service', port: 0, enabled: () => true },
  { app: 'sql-projector', port: 9471, enabled: () => true },
  { app: 'neo4j-projector', port: 9472, enabled: () => 'not in this build yet; it will need NEO4J_URI' },
  {
    app: 'netbox-projector',
    port: 9473,
    enabled: () => 'not in this build yet; it will need NETBOX_URL and NETBOX_TOKEN',
  },
  { app: 'metrics-projector', port: 9474, enabled: () => true },
  {
    app: 'conceptual-space-projector',
    port: 9475,
    // Needs a PostgreSQL server (no embedded mode yet): DATABASE_URL, else the local one if it answers.
    enabled: (stores) => stores.spaceStore,
  },
];

/** How `cim up` starts a member: its TypeScript source through tsx, with the app's own node options. */
export const serviceSpec = (member: FleetMember, portBase: number | undefined): ServiceSpec => ({
  name: member.app,
  command: process.execPath,
  args: [
    ...appNodeOptions(join(ROOT, 'apps', member.app)),
    '--conditions=@cim/source',
    '--import',
    'tsx',
    join(ROOT, 'apps', member.app, 'src', 'main.ts'),
  ],
  cwd: ROOT,
  env: member.port ? { METRICS_PORT: String(portBase === 0 ? 0 : member.port) } : {},
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `cim up`: NATS, the stream, the command service and every enabled projector, supervised, with a demo. */
export function registerUpCommand(program: Command, ctx: CliContext): void {
  program
    .command('up')
    .description(
      'run the whole fleet in the foreground: NATS (started if local and down), command service, projectors',
    )
    .option('--no-demo', 'skip the demo (discover this machine, seed a small datacenter) on an empty stream')
    .option('--resources <n>', 'size of the demo datacenter', '200')
    .option('--random-ports', 'serve /metrics on free ports instead of 9471–9475 (tests)')
    .action(async (o: { demo: boolean; resources: string; randomPorts?: boolean }) => {
      const env = ctx.env();
      const out = ctx.output.out;
      const resources = Number(o.resources);
      if (!Number.isInteger(resources) || resources < 10)
        throw new CliError('INVALID_INPUT', '--resources must be a whole number ≥ 10');
      let nats: LocalNats | undefined;
      let supervisor: Supervisor | undefined;
      let stopping: Promise<void> | undefined;
      const stopAll = () => {
        stopping ??= (async () => {
          out.write('stopping the fleet...\n');
          await supervisor?.stop();
          await nats?.stop();
        })();
        return stopping;
      };
      const signalled = new Promise<void>((resolveSignal) => {
        process.once('SIGINT', () => resolveSignal());
        process.once('SIGTERM', () => resolveSignal());
      });
      try {
        nats = await ensureLocalNats(env.NATS_URL, join(ROOT, '.data', 'nats'), (line) =>
          out.write(`${line}\n`),
        );
        const nc = await connectNats(env.NATS_URL);
        try {
          const store = await openStore(nc, env, true);
          const wasEmpty = (await store.lastSequence()) === 0;
          const stores: FleetStores = {
            // Named by the variable when it is set: its URL may hold a password.
            spaceStore: await probePostgres(
              env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
              env.DATABASE_URL ? 'DATABASE_URL' : DEFAULT_DATABASE_URL,
            ),
          };
          const enabled = FLEET.filter((m) => m.enabled(stores) === true);
          for (const m of FLEET) {
            const why = m.enabled(stores);
            if (why !== true) out.write(`${m.app.padEnd(27)} disabled: ${why}\n`);
          }
          supervisor = new Supervisor(
            enabled.map((m) => serviceSpec(m, o.randomPorts ? 0 : undefined)),
            { out },
          );
          supervisor.start();
          await waitForCommandService(nc, env.COMMAND_PREFIX, signalled);
          const projectors = enabled.filter((m) => m.app !== 'command-service').length;
          if (o.demo && wasEmpty) {
            out.write('demo: discovering this machine\n');
            const report = await discover({ store, commandPrefix: env.COMMAND_PREFIX });
            out.write(`demo: ${report.hostname} registered with ${report.outcomes.length} command(s)\n`);
            out.write(`demo: seeding a datacenter of ${resources} resources\n`);
            const seeded = await store.appendMany(generateFleet({ resources, seed: 42 }));
            out.write(`demo: seeded ${seeded.appended} events\n`);
          }
          const statuses = await waitForCaughtUp(nc, ctx, projectors, await store.lastSequence(), signalled);
          out.write(`\n${statusTable(statuses)}\n\n${nextSteps(o.randomPorts === true)}\n`);
        } finally {
          if (!nc.isClosed()) await nc.close();
        }
        out.write('the fleet is up; Ctrl-C stops it\n');
        await signalled;
      } finally {
        await stopAll();
      }
    });
}

const waitForCommandService = async (
  nc: Awaited<ReturnType<typeof connectNats>>,
  prefix: string,
  signalled: Promise<void>,
): Promise<void> => {
  let stop = false;
  void signalled.then(() => {
    stop = true;
  });
  for (let i = 0; i < 300 && !stop; i++) {
    try {
      // An invalid command gets a typed rejection: proof the service answers, with nothing appended.
      await nc.request(`${prefix}.compute.update`, '{}', { timeout: 1_000 });
      return;
    } catch {
      await sleep(200);
    }
  }
  throw new CliError('UNAVAILABLE', 'the command service did not start; see its log lines above');
};

const waitForCaughtUp = async (
  nc: Awaited<ReturnType<typeof connectNats>>,
  ctx: CliContext,
  projectors: number,
  last: number,
  signalled: Promise<void>,
): Promise<ProjectorStatus[]> => {
  let stop = false;
  void signalled.then(() => {
    stop = true;
  });
  let statuses: ProjectorStatus[] = [];
  const deadline = Date.now() + 10 * 60_000;
  while (!stop && Date.now() < deadline) {
    statuses = await fleetStatus(nc, ctx.env(), 500);
    if (statuses.length >= projectors && statuses.every((s) => s.checkpoint >= last)) return statuses;
    await sleep(500);
  }
  return statuses;
};

const nextSteps = (randomPorts: boolean) =>
  [
    'where to look next:',
    randomPorts
      ? '  /metrics on free ports (see the log lines above)'
      : '  http://127.0.0.1:9471/metrics … :9475/metrics (sql, metrics, conceptual space)',
    '  npm run cim -- status                  the fleet table, any time',
    '  npm run cim -- report inventory        reports from the SQL read model',
    '  npm run cim -- topology --mermaid      the network topology as a Mermaid diagram',
    '  npm run cim -- space anomalies         resources far from every concept',
    '  npm run cim -- projector rebuild metrics-projector --wait',
  ].join('\n');
