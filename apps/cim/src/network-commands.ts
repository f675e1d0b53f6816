import type { Command } from 'commander';
import { type CliContext, runCommand, type WriteOptions, withWriteOptions } from './context.js';
import { defined, number } from './flags.js';

/** `--vlan 10` or `--vlan none` (clears it on update). */
const vlanOrNone = (value: string): number | null => (value === 'none' ? null : number(value));
const gatewayOrNone = (value: string): string | null => (value === 'none' ? null : value);

/** `cim network define | update | remove`. */
export function registerNetworkCommands(program: Command, ctx: CliContext): void {
  const network = program.command('network').description('define, update and remove networks');

  withWriteOptions(
    network
      .command('define')
      .description('define a network (its CIDR must not be defined already)')
      .requiredOption('--name <name>', 'network name')
      .requiredOption('--cidr <cidr>', 'network in CIDR notation, e.g. 10.0.1.0/24')
      .option('--vlan <id>', 'VLAN id 1–4094', number)
      .option('--gateway <ip>', 'gateway address inside the CIDR')
      .option('--site <site>', 'site')
      .option('--id <uuid>', 'network id (UUID v7); default: derived from the command id'),
  ).action(
    (
      o: WriteOptions & {
        name: string;
        cidr: string;
        vlan?: number;
        gateway?: string;
        site?: string;
        id?: string;
      },
    ) =>
      runCommand(
        ctx,
        o,
        'network.define',
        defined({
          name: o.name,
          cidr: o.cidr,
          vlan_id: o.vlan,
          gateway: o.gateway,
          site: o.site,
          network_id: o.id,
        }),
        { network_id: '--id' },
      ),
  );

  withWriteOptions(
    network
      .command('update')
      .description('change a network’s name, VLAN, gateway or site')
      .argument('<id>', 'network id')
      .option('--name <name>', 'new name')
      .option('--vlan <id|none>', 'VLAN id 1–4094, or none to clear', vlanOrNone)
      .option('--gateway <ip|none>', 'gateway inside the CIDR, or none to clear', gatewayOrNone)
      .option('--site <site>', 'site'),
  ).action(
    (
      id: string,
      o: WriteOptions & { name?: string; vlan?: number | null; gateway?: string | null; site?: string },
    ) =>
      runCommand(ctx, o, 'network.update', {
        network_id: id,
        ...defined({ name: o.name, vlan_id: o.vlan, gateway: o.gateway, site: o.site }),
      }),
  );

  withWriteOptions(
    network
      .command('remove')
      .description('remove a network')
      .argument('<id>', 'network id')
      .option('--reason <text>', 'why'),
  ).action((id: string, o: WriteOptions & { reason?: string }) =>
    runCommand(ctx, o, 'network.remove', { network_id: id, ...defined({ reason: o.reason }) }),
  );
}
