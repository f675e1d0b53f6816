import { type DiscoveryReport, discover, formatPlan, isDiscoveryError, watchDiscovery } from '@cim/discovery';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { connectNats, openStore } from './nats.js';
import { printJson } from './output.js';

const parseInterval = (text: string): number => {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new CliError('INVALID_INPUT', `--interval must look like 60s, 5m or 500ms, got '${text}'`);
  return Number(m[1]) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
};

/** What --json prints: the report without the (long) raw package list. */
const jsonReport = (r: DiscoveryReport) => ({
  ...r,
  facts: { ...r.facts, software: `${r.facts.software.length} packages (omitted)` },
});

/** `cim discover`: this machine's real state → only the commands that change the model. */
export function registerDiscoverCommand(program: Command, ctx: CliContext): void {
  program
    .command('discover')
    .description('read this machine (hardware, OS, interfaces, software, utilization) and send what changed')
    .option('--dry-run', 'print the commands it would send; send nothing')
    .option('--json', 'print the report as JSON')
    .option('--watch', 'keep running and report changes')
    .option('--interval <duration>', 'pause between runs with --watch', '60s')
    .option('--all-software', 'model every installed package, not only services and the allowlist')
    .action(
      async (o: {
        dryRun?: boolean;
        json?: boolean;
        watch?: boolean;
        interval: string;
        allSoftware?: boolean;
      }) => {
        const env = ctx.env();
        const intervalMs = parseInterval(o.interval);
        const nc = await connectNats(env.NATS_URL);
        try {
          const store = await openStore(nc, env, !o.dryRun);
          const options = {
            store,
            commandPrefix: env.COMMAND_PREFIX,
            dryRun: o.dryRun ?? false,
            plan: { software: o.allSoftware ? ('all' as const) : ('services' as const) },
          };
          const show = (r: DiscoveryReport) => {
            if (o.json) return printJson(ctx.output, jsonReport(r));
            const commands = r.outcomes.map((c) => c.command);
            ctx.output.out.write(
              `${r.hostname}: ${r.dryRun ? 'would send' : 'sent'} ${commands.length} command(s)\n`,
            );
            ctx.output.out.write(`${formatPlan(commands)}\n`);
            for (const e of r.errors) ctx.output.err.write(`  ${e}\n`);
          };
          if (!o.watch) {
            const report = await discover(options);
            show(report);
            if (!report.ok)
              throw new CliError('REJECTED', `${report.errors.length} command(s) were not applied`);
            return;
          }
          const watch = watchDiscovery({
            ...options,
            intervalMs,
            onChange: (_changes, report) => show(report),
            onError: (e) => ctx.output.err.write(`discover: ${(e as Error).message}\n`),
          });
          const stop = () => void watch.stop();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          await watch.done;
        } catch (e) {
          if (isDiscoveryError(e) && e.code === 'COMMAND_SERVICE_UNAVAILABLE') {
            throw new CliError('UNAVAILABLE', e.message, { cause: e });
          }
          throw e;
        } finally {
          if (!nc.isClosed()) await nc.close();
        }
      },
    );
}
