import { type Command, Option } from 'commander';
import { type CliContext, runCommand, type WriteOptions, withWriteOptions } from './context.js';
import { collect, defined, number, pair } from './flags.js';

/** `cim software configure | remove`. */
export function registerSoftwareCommands(program: Command, ctx: CliContext): void {
  const software = program.command('software').description('configure and remove software on resources');

  withWriteOptions(
    software
      .command('configure')
      .description('configure software on a live resource (with --id: reconfigure it)')
      .requiredOption('--resource <id>', 'resource it runs on')
      .requiredOption('--name <name>', 'software name')
      .requiredOption('--version <version>', 'software version')
      .addOption(
        new Option('--kind <kind>', 'kind of software').choices([
          'package',
          'service',
          'container_image',
          'firmware',
          'os',
        ]),
      )
      .option('--port <port>', 'listening port; repeatable', collect(number))
      .option('--config <key=value>', 'configuration entry; repeatable', collect(pair))
      .option('--id <uuid>', 'software id (UUID v7): reconfigure it, or create it with this id'),
  ).action(
    (
      o: WriteOptions & {
        resource: string;
        name: string;
        version: string;
        kind?: 'package';
        port?: number[];
        config?: Array<[string, string]>;
        id?: string;
      },
    ) =>
      runCommand(
        ctx,
        o,
        'software.configure',
        {
          resource_id: o.resource,
          name: o.name,
          version: o.version,
          ...defined({
            kind: o.kind,
            ports: o.port,
            config: o.config ? Object.fromEntries(o.config) : undefined,
            software_id: o.id,
          }),
        },
        { software_id: '--id', resource_id: '--resource' },
      ),
  );

  withWriteOptions(
    software
      .command('remove')
      .description('remove software')
      .argument('<id>', 'software id')
      .option('--reason <text>', 'why'),
  ).action((id: string, o: WriteOptions & { reason?: string }) =>
    runCommand(ctx, o, 'software.remove', { software_id: id, ...defined({ reason: o.reason }) }),
  );
}
