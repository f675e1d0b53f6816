import type { JetStreamManager, StreamInfo } from '@nats-io/jetstream';
import { EventStoreError, messageOf } from './errors.js';
import {
  describeChange,
  diffStreamConfig,
  type StreamConfigChange,
  streamConfigFor,
} from './stream-config.js';
import { findStream, jetStreamApiCode } from './stream-info.js';
import { resolveStreamSettings, type StreamSettings } from './stream-settings.js';

/** What {@link ensureStream} did. */
export interface EnsureStreamResult {
  action: 'created' | 'updated' | 'unchanged';
  /** The stream as the server reports it afterwards. */
  info: StreamInfo;
  /** The settings that were changed (empty unless `updated`). */
  changes: StreamConfigChange[];
}

const STREAM_NAME_IN_USE = 10058;

/**
 * Creates the event stream, or brings an existing one in line with `settings` (defaults:
 * {@link DEFAULT_STREAM_SETTINGS}). Updatable differences (subjects, limits, dedup window, replicas,
 * discard) are updated in place; a difference the server cannot change (storage type, retention)
 * throws `STREAM_CONFIG_CONFLICT` listing them, and leaves the stream untouched. Settings not managed
 * here (description, compression, ...) are kept as found. Safe to call concurrently from many processes.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  settings: Partial<StreamSettings> = {},
): Promise<EnsureStreamResult> {
  const s = resolveStreamSettings(settings);
  const desired = streamConfigFor(s);
  for (let attempt = 1; ; attempt++) {
    const current = await findStream(jsm, s.name);
    if (!current) {
      try {
        return { action: 'created', info: await jsm.streams.add({ ...desired }), changes: [] };
      } catch (e) {
        // Another process created it between our look-up and our create: compare with theirs.
        if (jetStreamApiCode(e) === STREAM_NAME_IN_USE && attempt === 1) continue;
        throw new EventStoreError('STREAM_SETUP_FAILED', `cannot create stream ${s.name}: ${messageOf(e)}`, {
          cause: e,
        });
      }
    }
    const changes = diffStreamConfig(current.config, desired);
    const fixed = changes.filter((c) => !c.updatable);
    if (fixed.length > 0) {
      throw new EventStoreError(
        'STREAM_CONFIG_CONFLICT',
        `stream ${s.name} exists with settings that cannot change in place (${fixed.map(describeChange).join('; ')}); ` +
          'configure the store to match the stream, or move the events to a new stream',
      );
    }
    if (changes.length === 0) return { action: 'unchanged', info: current, changes };
    const { name: _name, retention: _retention, storage: _storage, ...updatable } = desired;
    try {
      return { action: 'updated', info: await jsm.streams.update(s.name, updatable), changes };
    } catch (e) {
      throw new EventStoreError(
        'STREAM_SETUP_FAILED',
        `cannot update stream ${s.name} (${changes.map(describeChange).join('; ')}): ${messageOf(e)}`,
        { cause: e },
      );
    }
  }
}
