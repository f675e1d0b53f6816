import type { StoredDeadLetter } from '@cim/projection-kit';
import type { Command } from 'commander';
import { adminRequest } from './admin-client.js';
import type { CliContext } from './context.js';
import { withNats } from './nats.js';
import { printJson, table } from './output.js';

/** `cim dlq list|replay <projector>`: poison events parked by a projector. */
export function registerDlqCommands(program: Command, ctx: CliContext): void {
  const dlq = program.command('dlq').description("a projector's dead-letter queue: list, replay");
  dlq
    .command('list <projector>')
    .description('parked poison events with their reasons')
    .option('--json')
    .action(async (name: string, o: { json?: boolean }) => {
      const letters = await withNats(ctx.env(), (nc) =>
        adminRequest<StoredDeadLetter[]>(nc, ctx.env(), name, 'dlq.list'),
      );
      if (o.json) return printJson(ctx.output, letters);
      ctx.output.out.write(
        `${
          letters.length === 0
            ? `no dead letters for ${name}`
            : table(
                letters.map((l) => [String(l.sequence), l.subject, l.code, l.failed_at, l.reason]),
                ['SEQUENCE', 'SUBJECT', 'CODE', 'FAILED AT', 'REASON'],
              )
        }\n`,
      );
    });
  dlq
    .command('replay <projector>')
    .description('re-apply parked events (after fixing their cause); those that still fail stay')
    .option('--json')
    .action(async (name: string, o: { json?: boolean }) => {
      const result = await withNats(ctx.env(), (nc) =>
        adminRequest<{ replayed: number; remaining: number }>(nc, ctx.env(), name, 'dlq.replay'),
      );
      if (o.json) return printJson(ctx.output, result);
      ctx.output.out.write(`${name}: replayed ${result.replayed}, ${result.remaining} still parked\n`);
    });
}
