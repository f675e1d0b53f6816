import type { CommandPayloadInput } from '@cim/contract';
import { type Command, Option } from 'commander';
import { type CliContext, runCommand, type WriteOptions, withWriteOptions } from './context.js';
import { collect, defined, type InterfaceFlag, interfaceSpec, number, pair } from './flags.js';

interface CapacityOptions {
  cpu?: number;
  memoryMb?: number;
  storageGb?: number;
  bandwidthMbps?: number;
  connectionLimit?: number;
  redundancy?: number;
  os?: string;
  site?: string;
  interface?: InterfaceFlag[];
  label?: Array<[string, string]>;
}

const capacityOptions = (command: Command): Command =>
  command
    .option('--cpu <cores>', 'CPU cores', number)
    .option('--memory-mb <mb>', 'memory in MB', number)
    .option('--storage-gb <gb>', 'storage in GB', number)
    .option('--bandwidth-mbps <mbps>', 'network bandwidth in Mbit/s', number)
    .option('--connection-limit <n>', 'most concurrent connections', number)
    .option('--redundancy <n>', 'redundant units (PSUs, paths)', number)
    .option('--os <os>', 'operating system')
    .option('--site <site>', 'site or location')
    .option(
      '--interface <spec>',
      'interface name=eth0[,mac=aa:bb:cc:dd:ee:ff][,ip=10.0.0.5/24]…[,kind=ethernet][,speed=1000]; repeatable',
      collect(interfaceSpec),
    )
    .option('--label <key=value>', 'label; repeatable', collect(pair));

const capacities = (o: CapacityOptions) =>
  defined({
    cpu_cores: o.cpu,
    memory_mb: o.memoryMb,
    storage_gb: o.storageGb,
    network_bandwidth_mbps: o.bandwidthMbps,
    connection_limit: o.connectionLimit,
    redundancy: o.redundancy,
    os: o.os,
    site: o.site,
    // Free-form flag values; the contract schema validates them before anything is sent.
    interfaces: o.interface as CommandPayloadInput<'compute.register'>['interfaces'],
    labels: o.label ? Object.fromEntries(o.label) : undefined,
  });

/** `cim compute register | update | decommission | measure`. */
export function registerComputeCommands(program: Command, ctx: CliContext): void {
  const compute = program
    .command('compute')
    .description('register, update, decommission and measure compute resources');

  capacityOptions(
    withWriteOptions(
      compute
        .command('register')
        .description('register a resource')
        .requiredOption('--hostname <name>', 'unique host name (RFC 1123)')
        .requiredOption('--type <type>', 'resource type, e.g. physical_server, vm, switch, firewall')
        .option('--id <uuid>', 'resource id (UUID v7); default: derived from the command id'),
    ),
  ).action((o: CapacityOptions & WriteOptions & { hostname: string; type: string; id?: string }) =>
    runCommand(
      ctx,
      o,
      'compute.register',
      defined({ hostname: o.hostname, resource_type: o.type, resource_id: o.id, ...capacities(o) }),
      { resource_id: '--id' },
    ),
  );

  capacityOptions(
    withWriteOptions(
      compute
        .command('update')
        .description('change a resource (given --interface flags replace its whole interface set)')
        .argument('<id>', 'resource id')
        .option('--hostname <name>', 'new host name')
        .option('--type <type>', 'new resource type')
        .addOption(
          new Option('--status <status>', 'operational status').choices([
            'active',
            'maintenance',
            'degraded',
            'offline',
          ]),
        ),
    ),
  ).action(
    (id: string, o: CapacityOptions & WriteOptions & { hostname?: string; type?: string; status?: string }) =>
      runCommand(ctx, o, 'compute.update', {
        resource_id: id,
        ...defined({ hostname: o.hostname, resource_type: o.type, status: o.status as 'active' | undefined }),
        ...capacities(o),
      }),
  );

  withWriteOptions(
    compute
      .command('decommission')
      .description('retire a resource; it frees its hostname and MACs and takes no further changes')
      .argument('<id>', 'resource id')
      .option('--reason <text>', 'why'),
  ).action((id: string, o: WriteOptions & { reason?: string }) =>
    runCommand(ctx, o, 'compute.decommission', { resource_id: id, ...defined({ reason: o.reason }) }),
  );

  withWriteOptions(
    compute
      .command('measure')
      .description('record measured qualities of a resource')
      .argument('<id>', 'resource id')
      .option('--cpu-util <ratio>', 'CPU utilisation 0–1', number)
      .option('--memory-util <ratio>', 'memory utilisation 0–1', number)
      .option('--disk-util <ratio>', 'disk utilisation 0–1', number)
      .option('--throughput-mbps <mbps>', 'network throughput', number)
      .option('--iops <n>', 'disk IOPS', number)
      .option('--uptime-s <seconds>', 'uptime', number)
      .option('--error-rate <ratio>', 'error rate 0–1', number)
      .option('--latency-ms <ms>', 'latency', number)
      .option('--latency-variance <ms>', 'latency variance', number)
      .option('--at <iso-time>', 'when it was measured (default: now)'),
  ).action(
    (
      id: string,
      o: WriteOptions & {
        cpuUtil?: number;
        memoryUtil?: number;
        diskUtil?: number;
        throughputMbps?: number;
        iops?: number;
        uptimeS?: number;
        errorRate?: number;
        latencyMs?: number;
        latencyVariance?: number;
        at?: string;
      },
    ) =>
      runCommand(ctx, o, 'compute.record-measurement', {
        resource_id: id,
        ...defined({
          cpu_utilization: o.cpuUtil,
          memory_utilization: o.memoryUtil,
          disk_utilization: o.diskUtil,
          network_throughput_mbps: o.throughputMbps,
          disk_iops: o.iops,
          uptime_seconds: o.uptimeS,
          error_rate: o.errorRate,
          latency_ms: o.latencyMs,
          latency_variance: o.latencyVariance,
          measured_at: o.at,
        }),
      }),
  );
}
