import { newId } from '@cim/contract';
import type { EventStore } from '@cim/event-store';
import { type CollectFactsOptions, collectFacts } from './collect-facts.js';
import {
  type CommandRequester,
  type DiscoveryReply,
  type SendCommandOptions,
  sendCommand,
} from './command-client.js';
import { loadCurrentState } from './current-state.js';
import { isDiscoveryError, messageOf } from './errors.js';
import type { Facts } from './facts.js';
import { type PlanOptions, planCommands } from './plan-commands.js';
import { PENDING_RESOURCE_ID, type PlannedCommand } from './planned-command.js';
import type { StateFold } from './state-fold.js';

/** Default number of network and software commands in flight at once. */
export const DEFAULT_DISCOVER_CONCURRENCY = 16;

/** Options of {@link discover}. */
export interface DiscoverOptions {
  /** The event store the current state is read from (the stream the command service writes). */
  store: EventStore;
  /** Where commands are sent. Default: the store's connection. */
  nc?: CommandRequester;
  /** Command subject prefix. Default `cim.cmd`. */
  commandPrefix?: string;
  /** Plan only; send nothing. Default false. */
  dryRun?: boolean;
  /** Facts to use instead of collecting them (recorded facts, or ones collected by the caller). */
  facts?: Facts;
  /** How facts are collected when none are given. */
  collect?: CollectFactsOptions;
  /** Software selection. */
  plan?: PlanOptions;
  /** A fold to continue instead of reading the stream from the start (see `watchDiscovery`). */
  fold?: StateFold;
  /** Reply timeout per command in ms. Default 5000. */
  requestTimeoutMs?: number;
  /** Network and software commands in flight at once. Default {@link DEFAULT_DISCOVER_CONCURRENCY}. */
  concurrency?: number;
}

/** What happened to one planned command. */
export interface CommandOutcome {
  /** The command as sent (the pending resource id replaced by the registered one). */
  command: PlannedCommand;
  /**
   * `planned` (dry run), `accepted`, `rejected` (the service said no), `skipped` (not sent: what it
   * depends on failed, or it became unnecessary), `failed` (no valid reply).
   */
  status: 'planned' | 'accepted' | 'rejected' | 'skipped' | 'failed';
  reply?: DiscoveryReply;
  /** Why it was rejected, skipped or failed. */
  error?: string;
}

/** The result of one discovery run. */
export interface DiscoveryReport {
  /** Correlation id of every event of this run. */
  runId: string;
  hostname: string;
  dryRun: boolean;
  /** The resource this machine is (undefined on a dry run before the first registration). */
  resourceId?: string;
  facts: Facts;
  outcomes: CommandOutcome[];
  /** One line per rejected or failed command. */
  errors: string[];
  /** True when no command was rejected or failed. */
  ok: boolean;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

const withResource = (command: PlannedCommand, resourceId: string): PlannedCommand =>
  'resource_id' in command.payload && command.payload.resource_id === PENDING_RESOURCE_ID
    ? ({ ...command, payload: { ...command.payload, resource_id: resourceId } } as PlannedCommand)
    : command;

/**
 * One discovery run: collect (or take) the facts, fold the current state from the stream, plan, and
 * unless `dryRun` send the plan to the command service in dependency order: the compute command first
 * (a registration's reply names the new resource id), then networks and software (concurrently),
 * then the measurement. A rejected registration skips what needs the resource; every rejection and
 * failure is in the report.
 *
 * @throws DiscoveryError `COMMAND_SERVICE_UNAVAILABLE` when no command service answers.
 */
export async function discover(options: DiscoverOptions): Promise<DiscoveryReport> {
  const { store, dryRun = false } = options;
  const facts = options.facts ?? (await collectFacts(options.collect));
  const current = await loadCurrentState(store, facts.hostname, options.fold ? { fold: options.fold } : {});
  const planned = planCommands(facts, current, options.plan);
  const runId = newId();
  const base = { runId, hostname: current.hostname, dryRun, facts };
  if (dryRun) {
    const outcomes = planned.map((command) => ({ command, status: 'planned' as const }));
    return {
      ...base,
      ...(current.resource && { resourceId: current.resource.id }),
      outcomes,
      errors: [],
      ok: true,
    };
  }

  const nc = options.nc ?? store.connection;
  const send: SendCommandOptions = {
    correlationId: runId,
    ...(options.commandPrefix !== undefined && { prefix: options.commandPrefix }),
    ...(options.requestTimeoutMs !== undefined && { timeoutMs: options.requestTimeoutMs }),
  };
  let resourceId = current.resource?.id;
  const run = async (command: PlannedCommand): Promise<CommandOutcome> => {
    const needsResource =
      'resource_id' in command.payload && command.payload.resource_id === PENDING_RESOURCE_ID;
    if (needsResource && resourceId === undefined)
      return { command, status: 'skipped', error: 'the resource was not registered' };
    const sent = resourceId === undefined ? command : withResource(command, resourceId);
    try {
      const reply = await sendCommand(nc, sent, send);
      if (reply.ok) return { command: sent, status: 'accepted', reply };
      // Another host defined the same network between our read and our command: nothing is missing.
      if (sent.name === 'network.define' && reply.error.code === 'DUPLICATE_NETWORK')
        return { command: sent, status: 'skipped', reply, error: reply.error.message };
      return {
        command: sent,
        status: 'rejected',
        reply,
        error: `${reply.error.code}: ${reply.error.message}`,
      };
    } catch (e) {
      if (isDiscoveryError(e) && e.code === 'COMMAND_SERVICE_UNAVAILABLE') throw e;
      return { command: sent, status: 'failed', error: messageOf(e) };
    }
  };

  const [first] = planned;
  const compute = first?.name === 'compute.register' || first?.name === 'compute.update' ? first : undefined;
  const middle = planned.filter((c) => c !== compute && c.name !== 'compute.record-measurement');
  const measurement = planned.filter((c) => c.name === 'compute.record-measurement');
  const outcomes: CommandOutcome[] = [];
  if (compute) {
    const outcome = await run(compute);
    outcomes.push(outcome);
    if (compute.name === 'compute.register' && outcome.status === 'accepted') {
      // A retried request can be answered as a duplicate without events; the stream still knows the id.
      resourceId =
        (outcome.reply?.ok ? outcome.reply.events[0]?.aggregate_id : undefined) ??
        (await loadCurrentState(store, facts.hostname, options.fold ? { fold: options.fold } : {})).resource
          ?.id;
    }
  }
  outcomes.push(...(await mapLimit(middle, options.concurrency ?? DEFAULT_DISCOVER_CONCURRENCY, run)));
  for (const m of measurement) outcomes.push(await run(m));

  const errors = outcomes
    .filter((o) => o.status === 'rejected' || o.status === 'failed')
    .map((o) => `${o.command.name} (${o.command.reason}): ${o.error}`);
  return {
    ...base,
    ...(resourceId !== undefined && { resourceId }),
    outcomes,
    errors,
    ok: errors.length === 0,
  };
}
