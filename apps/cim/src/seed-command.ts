import type { AppendProgress } from '@cim/event-store';
import { generateFleet, isFleetGeneratorError, resolveFleetOptions } from '@cim/fleet-generator';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { number } from './flags.js';
import { openStore, withNats } from './nats.js';
import { printJson } from './output.js';

interface SeedOptions {
  resources: number;
  events?: number;
  seed?: number;
  inFlight?: number;
  json?: boolean;
}

/** Shows progress on stderr: a bar on a terminal, a plain line every second otherwise. */
function progressReporter(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  total: number,
  quiet: boolean,
) {
  const started = performance.now();
  const rate = (acked: number) => Math.round(acked / Math.max((performance.now() - started) / 1000, 1e-3));
  if (stream.isTTY && !quiet) {
    const bar = new SingleBar({
      stream,
      format: 'seed [{bar}] {percentage}% {value}/{total} events {rate} events/s eta {eta}s',
      hideCursor: true,
    });
    bar.start(total, 0, { rate: 0 });
    return {
      update: (p: AppendProgress) => bar.update(p.acked, { rate: rate(p.acked) }),
      stop: () => bar.stop(),
    };
  }
  let lastLine = started;
  return {
    update: (p: AppendProgress) => {
      const now = performance.now();
      if (now - lastLine < 1_000) return;
      lastLine = now;
      const pct = total > 0 ? Math.floor((p.acked / total) * 100) : 100;
      stream.write(`seed: ${p.acked}/${total} events (${pct}%), ${rate(p.acked)} events/s\n`);
    },
    stop: () => {},
  };
}

async function seed(ctx: CliContext, o: SeedOptions): Promise<void> {
  let fleet: ReturnType<typeof generateFleet>;
  let total: number;
  try {
    const options = {
      resources: o.resources,
      ...(o.events !== undefined && { events: o.events }),
      ...(o.seed !== undefined && { seed: o.seed }),
    };
    total = resolveFleetOptions(options).events;
    fleet = generateFleet(options);
  } catch (e) {
    if (isFleetGeneratorError(e))
      throw new CliError('INVALID_INPUT', `invalid seed options: ${e.message}`, { cause: e });
    throw e;
  }
  const env = ctx.env();
  await withNats(env, async (nc) => {
    const store = await openStore(nc, env, true);
    const progress = progressReporter(ctx.output.err, total, o.json === true);
    const started = performance.now();
    try {
      const result = await store.appendMany(fleet, {
        onProgress: progress.update,
        ...(o.inFlight !== undefined && { inFlight: o.inFlight }),
      });
      progress.stop();
      const seconds = (performance.now() - started) / 1000;
      const rate = Math.round(result.count / Math.max(seconds, 1e-3));
      if (o.json) {
        printJson(ctx.output, {
          stream: env.EVENT_STREAM,
          ...result,
          seconds: Number(seconds.toFixed(3)),
          events_per_second: rate,
        });
      } else {
        ctx.output.out.write(
          `seeded ${result.count} events into ${env.EVENT_STREAM} (${result.appended} appended, ${result.duplicates} already there) ` +
            `in ${seconds.toFixed(2)} s: ${rate} events/s\n`,
        );
      }
    } catch (e) {
      progress.stop();
      throw new CliError('FAILED', `seeding ${env.EVENT_STREAM} failed: ${(e as Error).message}`, {
        cause: e,
      });
    } finally {
      await store.close();
    }
  });
}

const positiveInteger = (flag: string) => (value: string) => {
  const n = number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new CliError('INVALID_INPUT', `${flag} must be a positive integer, got ${value}`);
  return n;
};

/** `cim seed`: publishes a generated fleet straight to the stream (the generator keeps versions consistent). */
export function registerSeedCommand(program: Command, ctx: CliContext): void {
  program
    .command('seed')
    .description('append a deterministic synthetic fleet to the event stream, bypassing the command service')
    .requiredOption('--resources <n>', 'resources to register', positiveInteger('--resources'))
    .option('--events <n>', 'total events (default: 8 per resource)', (v) => {
      const n = number(v);
      if (!Number.isSafeInteger(n) || n < 0)
        throw new CliError('INVALID_INPUT', `--events must be an integer >= 0, got ${v}`);
      return n;
    })
    .option('--seed <k>', 'random seed; equal seeds give identical fleets (default 1)', number)
    .option(
      '--in-flight <n>',
      'appends awaiting their ack at once (default 256)',
      positiveInteger('--in-flight'),
    )
    .option('--json', 'print the result as JSON (no progress bar)')
    .action((o: SeedOptions) => seed(ctx, o));
}
