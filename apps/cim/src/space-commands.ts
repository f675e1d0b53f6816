import { writeFile } from 'node:fs/promises';
import {
  DEFAULT_ADAPTER_NAME,
  DEFAULT_DATABASE_URL,
  evaluate,
  formatEvaluation,
  type QueryKind,
  type QueryReply,
  type QueryRequest,
  querySpace,
  renderSpaceSvg,
  resolveSpaceConfig,
  SpaceReader,
} from '@cim/conceptual-space-projector';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { withNats } from './nats.js';
import { printJson, table } from './output.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

const positiveInt = (flag: string, text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError('INVALID_INPUT', `${flag} must be a whole number ≥ 1, got '${text}'`);
  return n;
};

/** `cim space …`: the conceptual space read model (similarity, classification, anomalies). */
export function registerSpaceCommands(program: Command, ctx: CliContext): void {
  const ask = async <K extends QueryKind>(kind: K, body: QueryRequest<K>) => {
    const env = ctx.env();
    const reply = await withNats(env, async (nc) => {
      try {
        return await querySpace(nc, kind, body, { prefix: env.SPACE_QUERY_PREFIX });
      } catch (e) {
        throw new CliError(
          'UNAVAILABLE',
          `${(e as Error).message}; is the conceptual-space projector running?`,
          { cause: e },
        );
      }
    });
    if (!reply.ok) {
      throw new CliError(
        reply.error.code === 'UNAVAILABLE' ? 'UNAVAILABLE' : 'INVALID_INPUT',
        reply.error.message,
        { details: reply },
      );
    }
    return reply as Extract<QueryReply<K>, { ok: true }>;
  };
  const space = program
    .command('space')
    .description('the conceptual space: similar, classify, anomalies, concepts, plot, evaluate');

  space
    .command('similar <id>')
    .description('the resources most similar to one resource')
    .option('-k <n>', 'how many', '5')
    .option('--json')
    .action(async (id: string, o: { k: string; json?: boolean }) => {
      const r = await ask('similar', { id, k: positiveInt('-k', o.k) });
      if (o.json) return printJson(ctx.output, r);
      ctx.output.out.write(`similar to ${r.resource.hostname} (${r.resource.resource_type}):\n`);
      ctx.output.out.write(
        `${table(
          r.results.map((s) => [s.hostname, s.resource_type, s.nearest ?? '', s.similarity.toFixed(3), s.id]),
          ['HOSTNAME', 'TYPE', 'CONCEPT', 'SIMILARITY', 'ID'],
        )}\n`,
      );
    });

  space
    .command('classify <id>')
    .description('membership degrees of a resource in every concept')
    .option('--json')
    .action(async (id: string, o: { json?: boolean }) => {
      const r = await ask('classify', { id });
      if (o.json) return printJson(ctx.output, r);
      ctx.output.out.write(`${r.resource?.hostname ?? id}: ${r.concept ?? 'no concept'}\n`);
      ctx.output.out.write(
        `${table(
          r.memberships.map((m) => [m.concept, m.label, pct(m.degree), m.distance.toFixed(3)]),
          ['CONCEPT', 'LABEL', 'MEMBERSHIP', 'DISTANCE'],
        )}\n`,
      );
    });

  space
    .command('anomalies')
    .description('resources far from every concept, with the domains that make them so')
    .option('-k <n>', 'how many', '20')
    .option('--json')
    .action(async (o: { k: string; json?: boolean }) => {
      const r = await ask('anomalies', { k: positiveInt('-k', o.k) });
      if (o.json) return printJson(ctx.output, r);
      ctx.output.out.write(`${r.count} anomalous of ${r.resources} resources\n`);
      ctx.output.out.write(
        `${table(
          r.anomalies.map((a) => [
            a.hostname,
            a.resource_type,
            a.ratio.toFixed(2),
            JSON.stringify(a.reasons).slice(0, 120),
          ]),
          ['HOSTNAME', 'TYPE', 'SCORE/THRESHOLD', 'WHY'],
        )}\n`,
      );
    });

  space
    .command('concepts')
    .description('concepts with their prototypes, members and radii')
    .option('--json')
    .action(async (o: { json?: boolean }) => {
      const r = await ask('concepts', {});
      if (o.json) return printJson(ctx.output, r);
      ctx.output.out.write(
        `${table(
          r.concepts.map((c) => [c.key, c.label, String(c.members), String(c.nearest)]),
          ['CONCEPT', 'LABEL', 'LABELLED MEMBERS', 'NEAREST'],
        )}\n`,
      );
    });

  space
    .command('plot')
    .description('a 2-D picture of the space: prototype cells, resources by class, anomalies marked (SVG)')
    .requiredOption('--out <file>', 'where to write the SVG')
    .option('--schema <name>', 'schema of the conceptual space read model', 'space')
    .action(async (o: { out: string; schema: string }) => {
      const url = ctx.env().DATABASE_URL ?? DEFAULT_DATABASE_URL;
      const reader = new SpaceReader({
        connectionString: url,
        schema: o.schema,
        projector: DEFAULT_ADAPTER_NAME,
        config: resolveSpaceConfig(),
      });
      try {
        const view = await reader.view().catch((e: unknown) => {
          throw new CliError(
            'UNAVAILABLE',
            `cannot read the conceptual space at ${url}: ${(e as Error).message}`,
            { cause: e },
          );
        });
        await writeFile(
          o.out,
          renderSpaceSvg(view, { title: `Conceptual space (${view.live.length} resources)` }),
        );
        ctx.output.out.write(`wrote ${o.out}: ${view.live.length} resources\n`);
      } finally {
        await reader.close();
      }
    });

  space
    .command('evaluate')
    .description(
      'classification accuracy and anomaly precision/recall on a generated fleet and published instance types',
    )
    .option('--seed <n>', 'fleet seed', '42')
    .option('--resources <n>', 'fleet size', '3000')
    .option('--json')
    .action(async (o: { seed: string; resources: string; json?: boolean }) => {
      const report = await evaluate({
        seed: positiveInt('--seed', o.seed),
        resources: positiveInt('--resources', o.resources),
      });
      if (o.json) return printJson(ctx.output, report);
      ctx.output.out.write(`${formatEvaluation(report)}\n`);
    });
}
