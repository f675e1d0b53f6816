import type { ProjectorStatus } from '@cim/projection-kit';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { adminRequest, fleetStatus } from './admin-client.js';
import type { CliContext } from './context.js';
import { withNats } from './nats.js';
import { printJson } from './output.js';
import { statusTable } from './status-table.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `cim projector list|status|pause|resume|rebuild` and `cim status`: the fleet over cim.admin. */
export function registerProjectorCommands(program: Command, ctx: CliContext): void {
  const print = (json: boolean | undefined, value: unknown, text: () => string) =>
    json ? printJson(ctx.output, value) : ctx.output.out.write(`${text()}\n`);

  const list = async (o: { json?: boolean }) => {
    const statuses = await withNats(ctx.env(), (nc) => fleetStatus(nc, ctx.env()));
    print(o.json, statuses, () => statusTable(statuses));
  };
  program
    .command('status')
    .description('status table of every running projector')
    .option('--json')
    .action(list);

  const projector = program
    .command('projector')
    .description('operate projectors: list, status, pause, resume, rebuild');
  projector
    .command('list')
    .description('every running projector with state, checkpoint and lag')
    .option('--json')
    .action(list);

  for (const verb of ['status', 'pause', 'resume'] as const) {
    projector
      .command(`${verb} <name>`)
      .description(`${verb} one projector`)
      .option('--json')
      .action(async (name: string, o: { json?: boolean }) => {
        const status = await withNats(ctx.env(), (nc) =>
          adminRequest<ProjectorStatus>(nc, ctx.env(), name, verb),
        );
        print(o.json, status, () => statusTable([status]));
      });
  }

  projector
    .command('rebuild <name>')
    .description('rebuild a read model by replay from sequence 1 (blue/green where the store allows it)')
    .option('--wait', 'show progress until the rebuild finishes')
    .option('--no-shadow', 'reset the live model instead of building a shadow')
    .option('--json')
    .action(async (name: string, o: { wait?: boolean; shadow: boolean; json?: boolean }) => {
      const env = ctx.env();
      const final = await withNats(env, async (nc) => {
        let status = await adminRequest<ProjectorStatus>(nc, env, name, 'rebuild', { shadow: o.shadow });
        if (!o.wait) return status;
        const tty = (ctx.output.err as NodeJS.WriteStream).isTTY === true && !o.json;
        const bar = tty
          ? new SingleBar({
              format: `${name} rebuild [{bar}] {percentage}% {value}/{total} events  {rate}/s  ETA {eta_s}s`,
              stream: ctx.output.err as NodeJS.WriteStream,
            })
          : null;
        bar?.start(status.rebuild?.total ?? 0, 0, { rate: 0, eta_s: '?' });
        let lastLine = 0;
        while (status.state === 'rebuilding') {
          await sleep(500);
          status = await adminRequest<ProjectorStatus>(nc, env, name, 'status');
          const r = status.rebuild;
          if (!r) break;
          bar?.setTotal(r.total);
          bar?.update(r.done, { rate: r.rate_per_second, eta_s: r.eta_seconds ?? '?' });
          if (!bar && !o.json && Date.now() - lastLine > 2_000) {
            lastLine = Date.now();
            ctx.output.err.write(
              `${name} rebuild: ${r.done}/${r.total} events, ${r.rate_per_second}/s, ETA ${r.eta_seconds ?? '?'} s\n`,
            );
          }
        }
        bar?.update(bar.getTotal());
        bar?.stop();
        return status;
      });
      print(o.json, final, () => statusTable([final]));
    });
}
