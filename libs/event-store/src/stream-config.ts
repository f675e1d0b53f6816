import { allEventsSubject } from '@cim/contract';
import type { StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { StreamSettings } from './stream-settings.js';

/** The part of a JetStream stream config the event store manages; everything else is left as found. */
export type ManagedStreamConfig = Pick<
  StreamConfig,
  | 'name'
  | 'subjects'
  | 'retention'
  | 'storage'
  | 'num_replicas'
  | 'duplicate_window'
  | 'max_age'
  | 'max_bytes'
  | 'max_msgs'
  | 'discard'
>;

/** One difference between a stream's current config and the one the settings ask for. */
export interface StreamConfigChange {
  field: keyof ManagedStreamConfig;
  current: unknown;
  desired: unknown;
  /** False for what the server cannot change in place: storage type and retention policy. */
  updatable: boolean;
}

const FIXED_FIELDS: ReadonlySet<keyof ManagedStreamConfig> = new Set(['storage', 'retention']);

/** The stream config for the settings: limits retention on `${subjectRoot}.>`. */
export const streamConfigFor = (s: StreamSettings): ManagedStreamConfig => ({
  name: s.name,
  subjects: [allEventsSubject(s.subjectRoot)],
  retention: 'limits',
  storage: s.storage,
  num_replicas: s.replicas,
  duplicate_window: nanos(s.duplicateWindowMs),
  max_age: nanos(s.maxAgeMs),
  max_bytes: s.maxBytes,
  max_msgs: s.maxMsgs,
  discard: s.discard,
});

const sameValue = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b)
    ? a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i])
    : a === b;

/** The managed fields whose current value differs from the desired one (subjects compare as sets). */
export const diffStreamConfig = (
  current: Partial<StreamConfig>,
  desired: ManagedStreamConfig,
): StreamConfigChange[] =>
  (Object.keys(desired) as (keyof ManagedStreamConfig)[])
    .filter((field) => field !== 'name' && !sameValue(current[field], desired[field]))
    .map((field) => ({
      field,
      current: current[field],
      desired: desired[field],
      updatable: !FIXED_FIELDS.has(field),
    }));

/** `storage: file → memory` */
export const describeChange = (c: StreamConfigChange): string =>
  `${c.field}: ${JSON.stringify(c.current)} → ${JSON.stringify(c.desired)}`;
