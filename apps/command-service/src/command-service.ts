import { DEFAULT_COMMAND_PREFIX, DEFAULT_SUBJECT_ROOT } from '@cim/contract';
import {
  DEFAULT_STREAM_NAME,
  EVENT_STORE_CONNECTION_DEFAULTS,
  EventStore,
  type EventSubscription,
} from '@cim/event-store';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type Logger, pino } from 'pino';
import { AppendPipeline } from './append-pipeline.js';
import { CommandHandler, DEFAULT_QUEUE_GROUP } from './command-handler.js';
import { CommandServiceError } from './errors.js';
import { JetStreamAppender } from './stream-appender.js';
import { WriteModel, type WriteModelView } from './write-model.js';

/** Default time to wait for the stream's ack of one append. */
export const DEFAULT_APPEND_TIMEOUT_MS = 5_000;

/** How to run the command service; every field has a default for a local NATS. */
export interface CommandServiceOptions {
  /** NATS server to connect to when no `connection` is given. Default `nats://127.0.0.1:4222`. */
  natsUrl?: string;
  /** A connection to borrow (left open on stop) instead of connecting to `natsUrl`. */
  connection?: NatsConnection;
  /** Event stream. Default `INFRASTRUCTURE_EVENTS`; created if missing. */
  stream?: string;
  /** Event subject root. Default `infrastructure`. */
  subjectRoot?: string;
  /** Command subject prefix. Default `cim.cmd`. */
  commandPrefix?: string;
  /** Queue group shared by instances. Default `cim-command-service`. */
  queueGroup?: string;
  /** Default: a silent pino logger. */
  logger?: Logger;
  /** Appends in flight at once (see AppendPipeline). Default 64. */
  maxInFlight?: number;
  /** Decisions per command before VERSION_CONFLICT. Default 10. */
  maxAttempts?: number;
  /** Stored events remembered for retried commands. Default 50 000. */
  recentEvents?: number;
  /** Ack timeout of one append in ms. Default {@link DEFAULT_APPEND_TIMEOUT_MS}. */
  appendTimeoutMs?: number;
}

export type StopReason = 'requested' | 'subscription-lost';

/** A running command service. */
export interface CommandService {
  /** The state decisions are made on (read-only; for tests and status). */
  readonly model: WriteModelView;
  /** Last stream sequence folded into the model. */
  readonly foldedSequence: number;
  /** Appends, conflicts and rollbacks so far. */
  readonly stats: Readonly<AppendPipeline['stats']>;
  /**
   * Resolves when the service has stopped: `requested` by {@link stop}, or `subscription-lost` when the
   * live tail of the stream broke (the model could go stale, so the service stops taking commands).
   */
  readonly stopped: Promise<StopReason>;
  /**
   * Stops taking requests (drains the command subscription), answers those in flight, stops the
   * event subscription and closes the connection if the service made it. Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * Starts the command service in this process: opens (creating if needed) the event stream, folds the
 * whole stream into the write model, follows it live, then answers `${commandPrefix}.>` requests.
 */
export async function startCommandService(options: CommandServiceOptions = {}): Promise<CommandService> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const stream = options.stream ?? DEFAULT_STREAM_NAME;
  const subjectRoot = options.subjectRoot ?? DEFAULT_SUBJECT_ROOT;
  const prefix = options.commandPrefix ?? DEFAULT_COMMAND_PREFIX;
  const natsUrl = options.natsUrl ?? 'nats://127.0.0.1:4222';
  if (prefix === subjectRoot || prefix.startsWith(`${subjectRoot}.`)) {
    // The stream would capture the requests and answer them with its own acks.
    throw new CommandServiceError(
      'INVALID_CONFIG',
      `command prefix '${prefix}' lies inside the event subject root '${subjectRoot}.>'; choose another COMMAND_PREFIX`,
    );
  }
  let nc = options.connection;
  if (!nc) {
    try {
      nc = await connect({
        servers: natsUrl,
        name: 'cim-command-service',
        ...EVENT_STORE_CONNECTION_DEFAULTS,
      });
    } catch (e) {
      throw new CommandServiceError(
        'STREAM_UNAVAILABLE',
        `cannot connect to NATS at ${natsUrl}: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
  }
  const ownsConnection = !options.connection;
  const conn = nc;
  try {
    const store = await EventStore.open(conn, { stream: { name: stream, subjectRoot }, logger });
    const model = new WriteModel();
    const appender = new JetStreamAppender(conn, {
      stream,
      subjectRoot,
      timeoutMs: options.appendTimeoutMs ?? DEFAULT_APPEND_TIMEOUT_MS,
    });
    const pipeline = new AppendPipeline({
      model,
      appender,
      lastSequence: () => store.lastSequence(),
      logger,
      ...(options.maxInFlight !== undefined && { maxInFlight: options.maxInFlight }),
      ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
      ...(options.recentEvents !== undefined && { recentEvents: options.recentEvents }),
    });

    const started = Date.now();
    for await (const stored of store.readAll()) pipeline.onStored(stored.sequence, stored.data);
    logger.info(
      {
        stream,
        sequence: pipeline.foldedSequence,
        resources: model.resources.size,
        ms: Date.now() - started,
      },
      'write model folded from the stream',
    );

    const subscription: EventSubscription = await store.subscribe({
      fromSequence: pipeline.foldedSequence + 1,
    });
    const handler = new CommandHandler({
      nc: conn,
      prefix,
      queueGroup: options.queueGroup ?? DEFAULT_QUEUE_GROUP,
      pipeline,
      logger,
    });

    let stopping: Promise<void> | undefined;
    let resolveStopped!: (reason: StopReason) => void;
    const stopped = new Promise<StopReason>((resolve) => {
      resolveStopped = resolve;
    });
    const stop = (reason: StopReason = 'requested'): Promise<void> => {
      stopping ??= (async () => {
        await handler.drain();
        await pipeline.idle();
        appender.close();
        await subscription.stop();
        await store.close();
        if (ownsConnection && !conn.isClosed()) await conn.drain();
        logger.info({ sequence: pipeline.foldedSequence, reason }, 'command service stopped');
        resolveStopped(reason);
      })();
      return stopping;
    };

    void (async () => {
      try {
        for await (const stored of subscription) pipeline.onStored(stored.sequence, stored.data);
      } catch (err) {
        logger.error({ err }, 'event subscription failed; the write model cannot follow the stream');
      }
      // Without the live tail the model would go stale: stop rather than decide on old state.
      if (!stopping) {
        logger.error('event subscription ended unexpectedly; stopping');
        void stop('subscription-lost');
      }
    })();

    await handler.start();
    logger.info({ stream, subjectRoot, commands: `${prefix}.>` }, 'command service ready');
    return {
      model,
      get foldedSequence() {
        return pipeline.foldedSequence;
      },
      stats: pipeline.stats,
      stopped,
      stop: () => stop('requested'),
    };
  } catch (e) {
    if (ownsConnection && !conn.isClosed()) await conn.close();
    throw e;
  }
}
