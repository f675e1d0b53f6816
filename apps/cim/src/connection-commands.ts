import { type Command, Option } from 'commander';
import { type CliContext, runCommand, type WriteOptions, withWriteOptions } from './context.js';
import { defined, endpoint, number } from './flags.js';

type Endpoint = ReturnType<typeof endpoint>;

/** `cim connection establish | sever`. */
export function registerConnectionCommands(program: Command, ctx: CliContext): void {
  const connection = program
    .command('connection')
    .description('establish and sever connections between interfaces');

  withWriteOptions(
    connection
      .command('establish')
      .description('connect two interfaces (each must exist and be free)')
      .requiredOption('--a <resource:iface>', 'one end: <resource-id>:<interface>', endpoint)
      .requiredOption('--b <resource:iface>', 'other end: <resource-id>:<interface>', endpoint)
      .addOption(
        new Option('--medium <medium>', 'cable or link medium').choices([
          'copper',
          'fiber',
          'wireless',
          'virtual',
        ]),
      )
      .option('--speed-mbps <mbps>', 'link speed', number)
      .option('--id <uuid>', 'connection id (UUID v7); default: derived from the command id'),
  ).action(
    (o: WriteOptions & { a: Endpoint; b: Endpoint; medium?: 'copper'; speedMbps?: number; id?: string }) =>
      runCommand(
        ctx,
        o,
        'connection.establish',
        { a: o.a, b: o.b, ...defined({ medium: o.medium, speed_mbps: o.speedMbps, connection_id: o.id }) },
        { connection_id: '--id' },
      ),
  );

  withWriteOptions(
    connection
      .command('sever')
      .description('disconnect')
      .argument('<id>', 'connection id')
      .option('--reason <text>', 'why'),
  ).action((id: string, o: WriteOptions & { reason?: string }) =>
    runCommand(ctx, o, 'connection.sever', { connection_id: id, ...defined({ reason: o.reason }) }),
  );
}
