import {
  COMMANDS,
  type CommandErrorCode,
  type CommandName,
  type CommandPayloadInput,
  type CommandReply,
  commandSubject,
  type InfrastructureEvent,
  newId,
} from '@cim/contract';
import type { NatsConnection } from '@nats-io/transport-node';
import type { z } from 'zod';
import type { Env } from './env.js';
import { CliError } from './errors.js';

export type Reply = CommandReply<InfrastructureEvent>;

/** Payload fields and the flags that set them, so validation errors name what the user typed. */
const FLAG_OF: Readonly<Record<string, string>> = {
  hostname: '--hostname',
  resource_type: '--type',
  cpu_cores: '--cpu',
  memory_mb: '--memory-mb',
  storage_gb: '--storage-gb',
  network_bandwidth_mbps: '--bandwidth-mbps',
  connection_limit: '--connection-limit',
  redundancy: '--redundancy',
  interfaces: '--interface',
  labels: '--label',
  status: '--status',
  cidr: '--cidr',
  vlan_id: '--vlan',
  gateway: '--gateway',
  a: '--a',
  b: '--b',
  medium: '--medium',
  speed_mbps: '--speed-mbps',
  ports: '--port',
  config: '--config',
  target_ids: '--target',
  enforcement: '--enforcement',
  rules: '--rule',
  cpu_utilization: '--cpu-util',
  memory_utilization: '--memory-util',
  disk_utilization: '--disk-util',
  network_throughput_mbps: '--throughput-mbps',
  disk_iops: '--iops',
  uptime_seconds: '--uptime-s',
  error_rate: '--error-rate',
  latency_ms: '--latency-ms',
  latency_variance: '--latency-variance',
  measured_at: '--at',
};

/**
 * `--vlan: VLAN id must be between 1 and 4094; --cidr: invalid CIDR '10.0.0.0/33' (…)`. `flags` names
 * the flags of ids that differ per command (`{ software_id: '--id', resource_id: '--resource' }`);
 * other ids are the positional `<id>`.
 */
export function describeIssues(error: z.ZodError, flags: Readonly<Record<string, string>> = {}): string {
  return error.issues
    .map((issue) => {
      const [head, ...rest] = issue.path.map(String);
      if (head === undefined) return issue.message;
      const flag =
        flags[head] ?? FLAG_OF[head] ?? (head.endsWith('_id') ? '<id>' : `--${head.replaceAll('_', '-')}`);
      // interfaces.0.mac → `--interface #1 (mac)`
      const [index, ...inner] = rest;
      const item = index !== undefined && /^\d+$/.test(index) ? ` #${Number(index) + 1}` : '';
      const path = (item ? inner : rest).join('.');
      const where = `${flag}${item}${path ? ` (${path})` : ''}`;
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/** Validates a command's payload with the contract schema, as the service will; throws `INVALID_INPUT`. */
export function validateCommand<C extends CommandName>(
  name: C,
  payload: CommandPayloadInput<C>,
  flags: Readonly<Record<string, string>> = {},
): void {
  const parsed = COMMANDS[name].safeParse(payload);
  if (!parsed.success)
    throw new CliError('INVALID_INPUT', `invalid ${name}: ${describeIssues(parsed.error, flags)}`);
}

/** Rejections that mean the input referred to something wrong, as opposed to a clash with current state. */
const INPUT_REJECTIONS = new Set<CommandErrorCode>([
  'INVALID_REQUEST',
  'UNKNOWN_COMMAND',
  'VALIDATION_FAILED',
  'UNKNOWN_RESOURCE',
  'UNKNOWN_NETWORK',
  'UNKNOWN_CONNECTION',
  'UNKNOWN_SOFTWARE',
  'UNKNOWN_POLICY',
  'UNKNOWN_INTERFACE',
]);

/**
 * Sends a command and returns the service's reply if it was accepted. A rejection throws a
 * {@link CliError} carrying the reply (`INVALID_INPUT` or `REJECTED`); no service answering, or no
 * answer in time, throws `UNAVAILABLE` saying what to do.
 */
export async function sendCommand<C extends CommandName>(
  nc: NatsConnection,
  env: Env,
  name: C,
  payload: CommandPayloadInput<C>,
  commandId: string = newId(),
): Promise<Extract<Reply, { ok: true }>> {
  const subject = commandSubject(name, env.COMMAND_PREFIX);
  let reply: Reply;
  try {
    const msg = await nc.request(subject, JSON.stringify({ command_id: commandId, payload }), {
      timeout: env.CIM_TIMEOUT_MS,
    });
    reply = msg.json<Reply>();
  } catch (e) {
    const error = e as Error & { isNoResponders?: () => boolean };
    if (error.isNoResponders?.()) {
      throw new CliError(
        'UNAVAILABLE',
        `no command service answers on ${subject}; start one with \`cim serve\` (same NATS_URL and COMMAND_PREFIX)`,
        { cause: e },
      );
    }
    if (error.name === 'TimeoutError') {
      throw new CliError(
        'UNAVAILABLE',
        `the command service did not answer ${name} within ${env.CIM_TIMEOUT_MS} ms; it may still apply it: ` +
          `retry with --command-id ${commandId} to be safe`,
        { cause: e },
      );
    }
    throw new CliError('UNAVAILABLE', `sending ${name} failed: ${error.message}`, { cause: e });
  }
  if (reply.ok) return reply;
  const code = INPUT_REJECTIONS.has(reply.error.code)
    ? 'INVALID_INPUT'
    : reply.error.code === 'UNAVAILABLE'
      ? 'UNAVAILABLE'
      : 'REJECTED';
  throw new CliError(code, `${name} rejected (${reply.error.code}): ${reply.error.message}`, {
    details: reply,
  });
}
