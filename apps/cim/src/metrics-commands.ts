import { backfillOpenMetrics, parseStep } from '@cim/metrics-projector';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { openStore, withNats } from './nats.js';
import { printJson } from './output.js';

const time = (flag: string, text: string): Date => {
  const d = new Date(text);
  if (Number.isNaN(d.getTime()))
    throw new CliError('INVALID_INPUT', `--${flag} must be an ISO-8601 time, got '${text}'`);
  return d;
};

/** `cim metrics backfill`: the metrics history Prometheus never scraped, recreated from the events. */
export function registerMetricsCommands(program: Command, ctx: CliContext): void {
  const metrics = program.command('metrics').description('Prometheus metrics from the event history');
  metrics
    .command('backfill')
    .description(
      'replay the stream and write timestamped OpenMetrics for `promtool tsdb create-blocks-from openmetrics`',
    )
    .requiredOption('--from <time>', 'first sampled instant (ISO-8601)')
    .requiredOption('--to <time>', 'last sampled instant (ISO-8601)')
    .requiredOption('--out <dir>', 'directory for cim-metrics.om')
    .option('--step <duration>', 'distance between samples, e.g. 30s, 1m, 1h', '1m')
    .option('--max-resource-series <n>', 'resources with their own utilization history', '0')
    .option('--json')
    .action(
      async (o: {
        from: string;
        to: string;
        out: string;
        step: string;
        maxResourceSeries: string;
        json?: boolean;
      }) => {
        const from = time('from', o.from);
        const to = time('to', o.to);
        if (to < from) throw new CliError('INVALID_INPUT', '--to must not be before --from');
        let stepMs: number;
        try {
          stepMs = parseStep(o.step);
        } catch (e) {
          throw new CliError('INVALID_INPUT', `--step: ${(e as Error).message}`);
        }
        const maxResourceSeries = Number(o.maxResourceSeries);
        if (!Number.isInteger(maxResourceSeries) || maxResourceSeries < 0) {
          throw new CliError('INVALID_INPUT', '--max-resource-series must be a whole number ≥ 0');
        }
        const env = ctx.env();
        const result = await withNats(env, async (nc) => {
          const store = await openStore(nc, env, false);
          return backfillOpenMetrics({
            events: store.readAll(),
            from,
            to,
            stepMs,
            out: o.out,
            maxResourceSeries,
          });
        });
        if (o.json) return printJson(ctx.output, result);
        ctx.output.out.write(
          `wrote ${result.samples} samples of ${result.series} series at ${result.steps} steps ` +
            `(${result.events} events, ${result.skipped} undecodable skipped) to ${result.file}\nnext: ${result.promtoolCommand}\n`,
        );
      },
    );
}
