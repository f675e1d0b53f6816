import { AGGREGATE_TYPES, type InfrastructureEvent } from '@cim/contract';
import { decodeStoredEvent, type StoredEvent } from '@cim/event-store';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import type { Env } from './env.js';
import { CliError } from './errors.js';
import { number, uuid } from './flags.js';
import { openStore, withNats } from './nats.js';
import { eventLine, printJson, summarize, table } from './output.js';

/** `compute.>` and `infrastructure.compute.>` both mean the compute events under the subject root. */
export const qualifySubject = (subject: string, root: string): string =>
  subject === root || subject.startsWith(`${root}.`) ? subject : `${root}.${subject}`;

const decoded = (stored: StoredEvent): { event: InfrastructureEvent } | { error: string } => {
  const result = decodeStoredEvent(stored);
  return result.ok ? { event: result.event } : { error: `${result.code}: ${result.reason}` };
};

async function tail(
  ctx: CliContext,
  o: { subject?: string; fromSeq?: number; json?: boolean },
): Promise<void> {
  const env = ctx.env();
  await withNats(env, async (nc) => {
    const store = await openStore(nc, env, false);
    const subscription = await store.subscribe({
      ...(o.fromSeq !== undefined && { fromSequence: o.fromSeq }),
      ...(o.subject !== undefined && { filterSubject: qualifySubject(o.subject, env.SUBJECT_ROOT) }),
    });
    const stop = () => void subscription.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (!o.json)
      ctx.output.err.write(
        `tailing ${env.EVENT_STREAM} from sequence ${subscription.startSequence} (Ctrl-C stops)\n`,
      );
    try {
      for await (const stored of subscription) {
        const d = decoded(stored);
        if (o.json) printJson(ctx.output, { sequence: stored.sequence, subject: stored.subject, ...d });
        else {
          const at = stored.timestamp.toISOString().slice(11, 23);
          const what = 'event' in d ? eventLine(d.event) : `undecodable: ${d.error}`;
          ctx.output.out.write(`#${stored.sequence}  ${at}  ${stored.subject}  ${what}\n`);
        }
      }
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await store.close();
    }
  });
}

async function show(ctx: CliContext, id: string, o: { type?: string; json?: boolean }): Promise<void> {
  const env: Env = ctx.env();
  await withNats(env, async (nc) => {
    const store = await openStore(nc, env, false);
    try {
      for (const type of o.type ? [o.type] : AGGREGATE_TYPES) {
        const history = await store.readAggregate(type, id);
        if (history.events.length === 0) continue;
        const rows = history.events.map((stored) => ({
          sequence: stored.sequence,
          subject: stored.subject,
          ...decoded(stored),
        }));
        if (o.json) {
          printJson(ctx.output, { aggregate_type: type, aggregate_id: id, events: rows });
          return;
        }
        ctx.output.out.write(`${type} ${id}: ${rows.length} event(s)\n`);
        const lines = rows.map((r) =>
          'event' in r
            ? [
                `#${r.sequence}`,
                `v${r.event.aggregate_version}`,
                r.event.event_type,
                r.event.occurred_at,
                summarize(r.event),
              ]
            : [`#${r.sequence}`, '', 'undecodable', '', r.error],
        );
        ctx.output.out.write(`${table(lines, ['SEQ', 'VERSION', 'EVENT', 'OCCURRED_AT', 'DETAILS'])}\n`);
        return;
      }
    } finally {
      await store.close();
    }
    throw new CliError('INVALID_INPUT', `no events for aggregate ${id} in stream ${env.EVENT_STREAM}`);
  });
}

/** `cim events tail | show`: read the event stream directly. */
export function registerEventsCommands(program: Command, ctx: CliContext): void {
  const events = program.command('events').description('read the event stream');
  events
    .command('tail')
    .description('print events as they are appended (live; Ctrl-C stops)')
    .option('--subject <subject>', 'only these subjects, e.g. compute.> or infrastructure.network.defined')
    .option('--from-seq <n>', 'start at this stream sequence (default: the next event)', number)
    .option('--json', 'one JSON object per line: {sequence, subject, event}')
    .action((o: { subject?: string; fromSeq?: number; json?: boolean }) => {
      if (o.fromSeq !== undefined && (!Number.isInteger(o.fromSeq) || o.fromSeq < 1)) {
        throw new CliError('INVALID_INPUT', `--from-seq must be a positive integer, got ${o.fromSeq}`);
      }
      return tail(ctx, o);
    });
  events
    .command('show')
    .description("print one aggregate's events")
    .argument('<aggregate-id>', 'id of a resource, network, connection, software or policy', uuid)
    .option('--type <aggregate>', `aggregate type (${AGGREGATE_TYPES.join(', ')}); default: search all`)
    .option('--json', 'print {aggregate_type, aggregate_id, events} as JSON')
    .action((id: string, o: { type?: string; json?: boolean }) => {
      if (o.type !== undefined && !(AGGREGATE_TYPES as readonly string[]).includes(o.type)) {
        throw new CliError(
          'INVALID_INPUT',
          `--type must be one of ${AGGREGATE_TYPES.join(', ')}, got '${o.type}'`,
        );
      }
      return show(ctx, id, o);
    });
}
