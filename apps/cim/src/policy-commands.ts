import { type Command, Option } from 'commander';
import { type CliContext, runCommand, type WriteOptions, withWriteOptions } from './context.js';
import { collect, defined, pair } from './flags.js';

const KINDS = ['security', 'backup', 'patching', 'access', 'compliance', 'monitoring'] as const;

/** `cim policy set | remove`. */
export function registerPolicyCommands(program: Command, ctx: CliContext): void {
  const policy = program.command('policy').description('set and remove policies on resources and networks');

  withWriteOptions(
    policy
      .command('set')
      .description('set a policy on live resources or defined networks (with --id: replace it)')
      .requiredOption('--name <name>', 'policy name')
      .addOption(new Option('--kind <kind>', 'policy kind').choices(KINDS).makeOptionMandatory())
      .requiredOption('--target <id...>', 'resource or network ids it applies to')
      .addOption(new Option('--enforcement <mode>', 'enforce or only audit').choices(['enforce', 'audit']))
      .option('--rule <key=value>', 'rule entry; repeatable', collect(pair))
      .option('--id <uuid>', 'policy id (UUID v7): replace it, or create it with this id'),
  ).action(
    (
      o: WriteOptions & {
        name: string;
        kind: (typeof KINDS)[number];
        target: string[];
        enforcement?: 'enforce' | 'audit';
        rule?: Array<[string, string]>;
        id?: string;
      },
    ) =>
      runCommand(
        ctx,
        o,
        'policy.set',
        {
          name: o.name,
          kind: o.kind,
          target_ids: o.target,
          ...defined({
            enforcement: o.enforcement,
            rules: o.rule ? Object.fromEntries(o.rule) : undefined,
            policy_id: o.id,
          }),
        },
        { policy_id: '--id' },
      ),
  );

  withWriteOptions(
    policy
      .command('remove')
      .description('remove a policy')
      .argument('<id>', 'policy id')
      .option('--reason <text>', 'why'),
  ).action((id: string, o: WriteOptions & { reason?: string }) =>
    runCommand(ctx, o, 'policy.remove', { policy_id: id, ...defined({ reason: o.reason }) }),
  );
}
