import { DEFAULT_SUBJECT_ROOT } from '@cim/contract';
import { EventStoreError } from './errors.js';

/** Name of the event stream unless configured otherwise. */
export const DEFAULT_STREAM_NAME = 'INFRASTRUCTURE_EVENTS';
/** Server-side dedup window on `Nats-Msg-Id` (= event_id): 2 minutes. */
export const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;
/** Stream replicas; more than 1 needs a clustered server. */
export const DEFAULT_REPLICAS = 1;

/** How the event stream is set up. Every field has a default in {@link DEFAULT_STREAM_SETTINGS}. */
export interface StreamSettings {
  /** Stream name. Default {@link DEFAULT_STREAM_NAME} (`INFRASTRUCTURE_EVENTS`). */
  name: string;
  /** First subject token; the stream captures `${subjectRoot}.>`. Default `infrastructure`. */
  subjectRoot: string;
  /** Storage backend; cannot change once the stream exists. Default `file`. */
  storage: 'file' | 'memory';
  /** Replicas. Default {@link DEFAULT_REPLICAS} (1). */
  replicas: number;
  /** Dedup window for `Nats-Msg-Id` in ms. Default {@link DEFAULT_DUPLICATE_WINDOW_MS} (2 minutes). */
  duplicateWindowMs: number;
  /** Oldest event kept, in ms; 0 keeps all history (read models are rebuilt by replay). Default 0. */
  maxAgeMs: number;
  /** Largest stream size in bytes; -1 is unlimited. Default -1. */
  maxBytes: number;
  /** Most events kept; -1 is unlimited. Default -1. */
  maxMsgs: number;
  /**
   * What happens when a limit is reached: `new` refuses further appends, `old` drops the oldest events
   * (and with them the ability to rebuild read models). Default `new`.
   */
  discard: 'old' | 'new';
}

/** The defaults: keep every event forever in one file-backed replica, dedup for 2 minutes. */
export const DEFAULT_STREAM_SETTINGS: Readonly<StreamSettings> = Object.freeze({
  name: DEFAULT_STREAM_NAME,
  subjectRoot: DEFAULT_SUBJECT_ROOT,
  storage: 'file',
  replicas: DEFAULT_REPLICAS,
  duplicateWindowMs: DEFAULT_DUPLICATE_WINDOW_MS,
  maxAgeMs: 0,
  maxBytes: -1,
  maxMsgs: -1,
  discard: 'new',
});

const SUBJECT_TOKEN = /^[^\s.*>]+$/;
const STREAM_NAME = /^[^\s.*>/\\]{1,255}$/;

const invalid = (message: string) => new EventStoreError('INVALID_OPTIONS', message);

/** Throws `INVALID_OPTIONS` unless `root` is one or more literal subject tokens, e.g. `infrastructure`. */
export const assertSubjectRoot = (root: string): void => {
  if (!root.split('.').every((t) => SUBJECT_TOKEN.test(t))) {
    throw invalid(`subject root '${root}' must be literal subject tokens (no spaces, '*' or '>')`);
  }
};

const isLimit = (n: number) => n === -1 || (Number.isSafeInteger(n) && n > 0);

/** Fills in defaults and validates; throws `INVALID_OPTIONS` naming the bad setting. */
export const resolveStreamSettings = (partial: Partial<StreamSettings> = {}): StreamSettings => {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const s: StreamSettings = { ...DEFAULT_STREAM_SETTINGS, ...defined };
  if (!STREAM_NAME.test(s.name)) {
    throw invalid(
      `stream name '${s.name}' must be 1-255 characters without spaces, '.', '*', '>', '/' or '\\'`,
    );
  }
  assertSubjectRoot(s.subjectRoot);
  if (s.storage !== 'file' && s.storage !== 'memory') throw invalid(`storage must be 'file' or 'memory'`);
  if (!Number.isInteger(s.replicas) || s.replicas < 1 || s.replicas > 5) {
    throw invalid(`replicas must be an integer from 1 to 5, got ${s.replicas}`);
  }
  if (!Number.isSafeInteger(s.duplicateWindowMs) || s.duplicateWindowMs <= 0) {
    throw invalid(`duplicateWindowMs must be a positive integer, got ${s.duplicateWindowMs}`);
  }
  if (!Number.isSafeInteger(s.maxAgeMs) || s.maxAgeMs < 0) {
    throw invalid(`maxAgeMs must be 0 (keep forever) or a positive integer, got ${s.maxAgeMs}`);
  }
  if (s.maxAgeMs > 0 && s.duplicateWindowMs > s.maxAgeMs) {
    throw invalid(`duplicateWindowMs (${s.duplicateWindowMs}) cannot exceed maxAgeMs (${s.maxAgeMs})`);
  }
  if (!isLimit(s.maxBytes)) throw invalid(`maxBytes must be -1 (unlimited) or positive, got ${s.maxBytes}`);
  if (!isLimit(s.maxMsgs)) throw invalid(`maxMsgs must be -1 (unlimited) or positive, got ${s.maxMsgs}`);
  if (s.discard !== 'old' && s.discard !== 'new') throw invalid(`discard must be 'old' or 'new'`);
  return s;
};
