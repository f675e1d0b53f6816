import {
  createEvent,
  EVENT_CATALOG,
  type EventOf,
  type EventType,
  type MessageIdentity,
  type PayloadInputOf,
  rootIdentity,
} from '@cim/contract';
import type { AggregateRef, ResourceState } from './fleet-state.js';
import { IsoTime } from './iso-time.js';
import { isWellFormedMeasurement } from './measurement-guard.js';
import { measurement } from './measurements.js';
import type { Prng } from './prng.js';
import type { UuidV7Factory } from './uuid-v7.js';

/**
 * Writes the events of the stream: validated by `createEvent`, stamped with a strictly increasing
 * `occurred_at` (the first exactly at the start), a deterministic UUID v7 and the next version of
 * their aggregate.
 */
export class EventWriter {
  private nowMs: number;
  private iso: string;
  private minGapMs = 1;
  private maxGapMs = 1;
  private written = 0;
  private readonly isoTime = new IsoTime();

  constructor(
    startMs: number,
    private readonly prng: Prng,
    private readonly ids: UuidV7Factory,
  ) {
    this.nowMs = startMs;
    this.iso = this.isoTime.format(startMs);
  }

  /** Time of the last event written (before the first: the start), in epoch milliseconds. */
  get now(): number {
    return this.nowMs;
  }

  /** Sets the range of the random gap before each following event (at least 1 ms, so time never stands still). */
  pace(minGapMs: number, maxGapMs: number): void {
    this.minGapMs = Math.max(1, minGapMs);
    this.maxGapMs = Math.max(this.minGapMs, maxGapMs);
  }

  /** The identity of a new root command: correlation = causation = a fresh deterministic command id. */
  newCommand(): MessageIdentity {
    return rootIdentity(this.ids.next(this.nowMs));
  }

  /** A fresh deterministic id for an aggregate created now. */
  newAggregateId(): string {
    return this.ids.next(this.nowMs);
  }

  /**
   * The next event of `aggregate` (whose version it increments), after advancing the clock; `payload`
   * may be a function of the event's time. Throws the contract's `INVALID_EVENT` error if the payload
   * is invalid, which would be a generator bug.
   */
  write<T extends EventType>(
    type: T,
    aggregate: AggregateRef,
    payload: PayloadInputOf<T> | ((nowMs: number, iso: string) => PayloadInputOf<T>),
    identity: MessageIdentity,
  ): EventOf<T> {
    this.tick();
    return this.create(
      type,
      aggregate,
      typeof payload === 'function' ? payload(this.nowMs, this.iso) : payload,
      identity,
    );
  }

  /**
   * The next ComputeMeasured event of a resource, the bulk of a stream, built without schema parsing
   * when {@link isWellFormedMeasurement} vouches for the payload: the event is then exactly the one
   * `createEvent` would build (the tests prove both claims). Anything else goes through `createEvent`.
   */
  writeMeasurement(
    resource: ResourceState,
    prng: Prng,
    identity: MessageIdentity,
  ): EventOf<'ComputeMeasured'> {
    this.tick();
    const data = measurement(resource.telemetry, resource.anomaly, this.nowMs, this.iso, prng);
    if (!isWellFormedMeasurement(data)) return this.create('ComputeMeasured', resource, data, identity);
    return {
      event_id: this.ids.next(this.nowMs),
      event_type: 'ComputeMeasured',
      aggregate_type: MEASURED.aggregate,
      aggregate_id: resource.id,
      aggregate_version: ++resource.version,
      correlation_id: identity.correlation_id,
      causation_id: identity.causation_id,
      occurred_at: this.iso,
      schema_version: MEASURED.version,
      payload: data,
    };
  }

  private create<T extends EventType>(
    type: T,
    aggregate: AggregateRef,
    payload: PayloadInputOf<T>,
    identity: MessageIdentity,
  ) {
    return createEvent(type, {
      aggregate_id: aggregate.id,
      aggregate_version: ++aggregate.version,
      identity,
      payload,
      event_id: this.ids.next(this.nowMs),
      occurred_at: this.iso,
    });
  }

  private tick(): void {
    if (this.written++ === 0) return;
    this.nowMs +=
      this.minGapMs === this.maxGapMs ? this.minGapMs : this.prng.int(this.minGapMs, this.maxGapMs);
    this.iso = this.isoTime.format(this.nowMs);
  }
}

const MEASURED = EVENT_CATALOG.ComputeMeasured;
