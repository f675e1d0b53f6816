import {
  isReportName,
  openReadModel,
  REPORT_DESCRIPTIONS,
  REPORTS,
  type ReportParams,
  type ReportRow,
  runReport,
  topologyMermaid,
} from '@cim/sql-projector';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { withNats } from './nats.js';
import { printJson, table } from './output.js';

type QueryReply<T> = { ok: true; result: T } | { ok: false; error: { code: string; message: string } };

/**
 * Asks the running sql-projector (it owns the database, which an embedded PGlite store cannot share);
 * when none answers, reads the database named by DATABASE_URL (or PGLITE_DIR) directly.
 */
async function query<T>(
  ctx: CliContext,
  verb: 'report' | 'topology',
  body: Record<string, unknown>,
  direct: (url: string) => Promise<T>,
): Promise<T> {
  const env = ctx.env();
  const reply = await withNats(env, async (nc) => {
    try {
      const m = await nc.request(`${env.SQL_QUERY_PREFIX}.${verb}`, JSON.stringify(body), {
        timeout: env.CIM_TIMEOUT_MS,
      });
      return m.json<QueryReply<T>>();
    } catch {
      return undefined;
    }
  }).catch(() => undefined);
  if (reply?.ok) return reply.result;
  if (reply && !reply.ok) throw new CliError('INVALID_INPUT', reply.error.message);
  const source = env.DATABASE_URL ?? env.PGLITE_DIR;
  try {
    return await direct(source);
  } catch (e) {
    throw new CliError(
      'UNAVAILABLE',
      `no sql-projector answers and the read model cannot be opened: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
}

const printRows = (ctx: CliContext, rows: readonly ReportRow[], json: boolean | undefined) => {
  if (json) return printJson(ctx.output, rows);
  const first = rows[0];
  if (!first) {
    ctx.output.out.write('(no rows)\n');
    return;
  }
  const header = Object.keys(first);
  ctx.output.out.write(
    `${table(
      rows.map((r) => header.map((h) => (r[h] === null ? '' : String(r[h])))),
      header.map((h) => h.toUpperCase()),
    )}\n`,
  );
};

/** `cim report <name>` and `cim topology --mermaid`, from the SQL read model. */
export function registerReportCommands(program: Command, ctx: CliContext): void {
  program
    .command('report [name]')
    .description(`reports from the SQL read model: ${Object.keys(REPORTS).join(', ')}`)
    .option('--resource <id-or-hostname>', 'history: the resource')
    .option('--site <site>', 'ip-usage, connections, software-placement: only this site')
    .option('--software <name>', 'software-placement: only this software')
    .option('--json')
    .action(async (name: string | undefined, o: ReportParams & { json?: boolean }) => {
      if (!name) {
        const rows = Object.entries(REPORT_DESCRIPTIONS).map(([n, d]) => [n, d]);
        ctx.output.out.write(`${table(rows, ['REPORT', 'WHAT'])}\n`);
        return;
      }
      if (!isReportName(name)) {
        throw new CliError(
          'INVALID_INPUT',
          `unknown report '${name}' (known: ${Object.keys(REPORTS).join(', ')})`,
        );
      }
      if (name === 'history' && !o.resource)
        throw new CliError('INVALID_INPUT', 'report history needs --resource <id-or-hostname>');
      const params: ReportParams = { resource: o.resource, site: o.site, software: o.software };
      const rows = await query<ReportRow[]>(ctx, 'report', { name, params }, async (source) => {
        const model = await openReadModel(source);
        try {
          return await runReport(model, name, params);
        } finally {
          await model.close();
        }
      });
      printRows(ctx, rows, o.json);
    });
  program
    .command('topology')
    .description('the network topology (resources, networks, connections) from the SQL read model')
    .option('--mermaid', 'as a Mermaid diagram (the default and only format)')
    .option('--site <site>', 'only this site')
    .action(async (o: { site?: string }) => {
      const text = await query<string>(ctx, 'topology', { site: o.site }, async (source) => {
        const model = await openReadModel(source);
        try {
          return await topologyMermaid(model, o.site ? { site: o.site } : {});
        } finally {
          await model.close();
        }
      });
      ctx.output.out.write(`${text}\n`);
    });
}
