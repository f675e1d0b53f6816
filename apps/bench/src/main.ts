import { parseArgs } from 'node:util';
import { PROJECTORS } from './bench-context.js';
import { compareMarkdown, parseVariant, runCompare, type Variant, writeCompare } from './compare.js';
import { toMarkdown, writeReport } from './report.js';
import { defaultBenchOptions, runBench } from './run-bench.js';

const usage = `usage: npm run bench -- [--events N] [--resources N] [--runs N] [--live-rate N] [--live-seconds N] [--live-windows N]
                       [--projectors sql-projector,metrics-projector,...] [--out DIR]
                       [--profile DIR]   (a V8 CPU profile of every projector process, for --cpu-prof analysis)
                       [--node-args="--max-semi-space-size=32 ..."]   (node options for every projector process)
                       [--from-source]   (run the apps' TypeScript through tsx instead of their build)
       npm run bench -- --compare "" --compare "MAX_BATCH=4000 --max-semi-space-size=8" [--projectors ...]
                       [--events N] [--resources N] [--runs N]
                         (instead of the suite: interleaved rebuilds of each projector per variant; a variant
                          is NAME=value environment and --option node tokens on top of the app's own; "" = as deployed;
                          one that starts with a dash goes after an equals sign: --compare=--max-semi-space-size=8)`;

const parse = () => {
  try {
    return parseArgs({
      options: {
        events: { type: 'string' },
        resources: { type: 'string' },
        runs: { type: 'string' },
        seed: { type: 'string' },
        'live-rate': { type: 'string' },
        'live-seconds': { type: 'string' },
        'live-windows': { type: 'string' },
        projectors: { type: 'string' },
        out: { type: 'string' },
        profile: { type: 'string' },
        'node-args': { type: 'string' },
        'from-source': { type: 'boolean' },
        compare: { type: 'string', multiple: true },
        help: { type: 'boolean' },
      },
      strict: true,
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
};
const { values } = parse();
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const positive = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  const n = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`--${name} must be a positive integer, got '${text}'\n${usage}`);
    process.exit(2);
  }
  return n;
};

const options = defaultBenchOptions((line) => console.error(line));
options.natsUrl = process.env.NATS_URL || options.natsUrl;
options.databaseUrl = process.env.DATABASE_URL || options.databaseUrl;
options.events = positive('events', values.events, options.events);
options.resources = positive('resources', values.resources, Math.max(100, Math.round(options.events / 50)));
options.runs = positive('runs', values.runs, options.runs);
options.seed = positive('seed', values.seed, options.seed);
options.liveRate = positive('live-rate', values['live-rate'], options.liveRate);
options.liveSeconds = positive('live-seconds', values['live-seconds'], options.liveSeconds);
options.liveWindows = positive('live-windows', values['live-windows'], options.liveWindows);
options.outDir = values.out ?? options.outDir;
options.profileDir = values.profile;
options.nodeArgs = values['node-args']?.split(/\s+/).filter(Boolean) ?? [];
options.compiled = !values['from-source'];
if (values.projectors) {
  const wanted = values.projectors.split(',');
  const unknown = wanted.filter((w) => !PROJECTORS.some((p) => p.app === w));
  if (unknown.length > 0) {
    console.error(
      `unknown projector(s): ${unknown.join(', ')} (known: ${PROJECTORS.map((p) => p.app).join(', ')})`,
    );
    process.exit(2);
  }
  options.projectors = PROJECTORS.filter((p) => wanted.includes(p.app));
}

const usageError = (message: string): never => {
  console.error(`${message}\n${usage}`);
  process.exit(2);
};

if (values.compare) {
  if (values.compare.length < 2) usageError('--compare needs at least two variants');
  let variants: Variant[] = [];
  try {
    variants = values.compare.map(parseVariant);
  } catch (error) {
    usageError((error as Error).message);
  }
  for (const app of options.projectors) {
    const result = await runCompare({ ...options, app, variants });
    console.log(compareMarkdown(result));
    console.error(`written to ${await writeCompare(options.outDir, result)}`);
  }
} else {
  const report = await runBench(options);
  console.log(toMarkdown(report));
  console.error(`written to ${await writeReport(options.outDir, report)}`);
}
