import type { InfrastructureEvent } from '@cim/contract';
import { type JetStreamOptions, jetstream, jetstreamManager, type StreamInfo } from '@nats-io/jetstream';
import type { ConnectionOptions, NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { type AppendOptions, type AppendResult, appendEvent } from './append-event.js';
import { type AppendManyOptions, type AppendManyResult, appendMany } from './append-many.js';
import { DEFAULT_CONNECTION_NAME, EVENT_STORE_CONNECTION_DEFAULTS } from './connection.js';
import { type EnsureStreamResult, ensureStream } from './ensure-stream.js';
import { EventStoreError, messageOf } from './errors.js';
import { type EventSubscription, type SubscribeOptions, subscribeEvents } from './live-subscription.js';
import { type EventStoreLogger, silentLogger } from './logger.js';
import { type AggregateHistory, type ReadAggregateOptions, readAggregate } from './read-aggregate.js';
import { type ReadOptions, readEvents } from './read-events.js';
import type { StoreContext } from './store-context.js';
import type { StoredEvent } from './stored-event.js';
import { requireStream } from './stream-info.js';
import { resolveStreamSettings, type StreamSettings } from './stream-settings.js';

export interface EventStoreOptions {
  /** Stream name, subject root, storage, limits. Defaults: {@link DEFAULT_STREAM_SETTINGS}. */
  stream?: Partial<StreamSettings>;
  /**
   * `true` (default): create the stream, or update it to `stream`'s settings ({@link ensureStream}); for
   * writers. `false`: only check that it exists, for readers that must not change its config.
   */
  ensureStream?: boolean;
  /** Where setup and subscription trouble is reported. Default: silent. */
  logger?: EventStoreLogger;
  /** JetStream context options (API prefix, domain, request timeout). */
  jetstream?: JetStreamOptions;
}

export interface ConnectEventStoreOptions extends EventStoreOptions {
  /**
   * How to reach NATS (`servers`, auth, ...). {@link EVENT_STORE_CONNECTION_DEFAULTS} and the name
   * {@link DEFAULT_CONNECTION_NAME} apply unless given here.
   */
  connection: ConnectionOptions;
}

/**
 * The JetStream event store: appends with dedup and optimistic concurrency, bounded reads, aggregate
 * histories and live subscriptions on one stream.
 *
 * Ownership: {@link EventStore.open} borrows a connection (`close()` stops the store's subscriptions and
 * leaves the connection open); {@link EventStore.connect} makes its own (`close()` also drains it).
 */
export class EventStore {
  readonly #ctx: StoreContext;
  readonly #subscriptions = new Set<EventSubscription>();
  #closed: Promise<void> | undefined;

  private constructor(
    ctx: StoreContext,
    /** True when the store made the connection and closes it. */
    readonly ownsConnection: boolean,
    /** What opening did to the stream; undefined when opened with `ensureStream: false`. */
    readonly setup: EnsureStreamResult | undefined,
  ) {
    this.#ctx = ctx;
  }

  /** Opens the store on a connection it does not own; see {@link EventStoreOptions}. */
  static open(nc: NatsConnection, options: EventStoreOptions = {}): Promise<EventStore> {
    return EventStore.#open(nc, options, false);
  }

  /** Connects to NATS (with {@link EVENT_STORE_CONNECTION_DEFAULTS}) and opens a store that owns the connection. */
  static async connect(options: ConnectEventStoreOptions): Promise<EventStore> {
    const { connection, ...storeOptions } = options;
    const nc = await connect({
      name: DEFAULT_CONNECTION_NAME,
      ...EVENT_STORE_CONNECTION_DEFAULTS,
      ...connection,
    });
    try {
      return await EventStore.#open(nc, storeOptions, true);
    } catch (e) {
      await nc.close();
      throw e;
    }
  }

  static async #open(nc: NatsConnection, options: EventStoreOptions, owns: boolean): Promise<EventStore> {
    const settings = resolveStreamSettings(options.stream);
    const logger = options.logger ?? silentLogger;
    let jsm: Awaited<ReturnType<typeof jetstreamManager>>;
    try {
      jsm = await jetstreamManager(nc, options.jetstream);
    } catch (e) {
      throw new EventStoreError('STREAM_SETUP_FAILED', `JetStream is not available: ${messageOf(e)}`, {
        cause: e,
      });
    }
    const ctx: StoreContext = {
      nc,
      js: jetstream(nc, options.jetstream),
      jsm,
      stream: settings.name,
      subjectRoot: settings.subjectRoot,
      logger,
    };
    let setup: EnsureStreamResult | undefined;
    if (options.ensureStream ?? true) {
      setup = await ensureStream(jsm, settings);
      if (setup.action !== 'unchanged') {
        logger.info(
          { stream: settings.name, action: setup.action, changes: setup.changes },
          `event stream ${setup.action}`,
        );
      }
    } else {
      await requireStream(jsm, settings.name);
    }
    return new EventStore(ctx, owns, setup);
  }

  /** The stream's name, e.g. `INFRASTRUCTURE_EVENTS`. */
  get streamName(): string {
    return this.#ctx.stream;
  }

  /** The first subject token of every event, e.g. `infrastructure`. */
  get subjectRoot(): string {
    return this.#ctx.subjectRoot;
  }

  /** The connection the store uses (owned or borrowed, see {@link ownsConnection}). */
  get connection(): NatsConnection {
    return this.#ctx.nc;
  }

  #live(): StoreContext {
    if (this.#closed) throw new EventStoreError('CLOSED', `the event store on ${this.#ctx.stream} is closed`);
    return this.#ctx;
  }

  /** Appends one event; see {@link appendEvent}. A lost concurrency race is a result, not an error. */
  append(event: InfrastructureEvent, options?: AppendOptions): Promise<AppendResult> {
    return appendEvent(this.#live(), event, options);
  }

  /** Appends many events, pipelined, in order; see {@link appendMany}. */
  appendMany(
    events: Iterable<InfrastructureEvent> | AsyncIterable<InfrastructureEvent>,
    options?: AppendManyOptions,
  ): Promise<AppendManyResult> {
    return appendMany(this.#live(), events, options);
  }

  /** The stream's current state and config. */
  streamInfo(): Promise<StreamInfo> {
    return requireStream(this.#live().jsm, this.#ctx.stream);
  }

  /** The sequence of the last event in the stream; 0 when it is empty. */
  async lastSequence(): Promise<number> {
    return (await this.streamInfo()).state.last_seq;
  }

  /**
   * Reads stored events in order, from `fromSequence`/`fromTime` up to the stream's last sequence when
   * iteration starts (or `untilSequence`), then ends. Breaking out early is fine. Decode each with
   * {@link decodeStoredEvent}.
   */
  async *readAll(options?: ReadOptions): AsyncGenerator<StoredEvent, void, undefined> {
    yield* readEvents(this.#live(), options);
  }

  /** One aggregate's events in order plus the stream sequence to expect on the next append. */
  readAggregate(
    aggregateType: string,
    aggregateId: string,
    options?: ReadAggregateOptions,
  ): Promise<AggregateHistory> {
    return readAggregate(this.#live(), aggregateType, aggregateId, options);
  }

  /** A live tail of the stream, by default from the next event appended; stopped by {@link close} too. */
  async subscribe(options?: SubscribeOptions): Promise<EventSubscription> {
    const subscription = await subscribeEvents(this.#live(), options, (s) => this.#subscriptions.delete(s));
    this.#subscriptions.add(subscription);
    return subscription;
  }

  /** Stops the store's subscriptions and, if the store owns its connection, drains it. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await Promise.all([...this.#subscriptions].map((s) => s.stop()));
      if (this.ownsConnection && !this.#ctx.nc.isClosed()) await this.#ctx.nc.drain();
    })();
    return this.#closed;
  }
}
