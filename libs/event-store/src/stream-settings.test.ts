import { describe, expect, it } from 'vitest';
import { isEventStoreError } from './errors.js';
import { diffStreamConfig, streamConfigFor } from './stream-config.js';
import { DEFAULT_STREAM_SETTINGS, resolveStreamSettings, type StreamSettings } from './stream-settings.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return isEventStoreError(e) ? e.code : 'other';
  }
  return 'none';
};

describe('resolveStreamSettings', () => {
  it('defaults to INFRASTRUCTURE_EVENTS on infrastructure.>, file storage, 2 min dedup, all history', () => {
    expect(resolveStreamSettings()).toEqual({
      name: 'INFRASTRUCTURE_EVENTS',
      subjectRoot: 'infrastructure',
      storage: 'file',
      replicas: 1,
      duplicateWindowMs: 120_000,
      maxAgeMs: 0,
      maxBytes: -1,
      maxMsgs: -1,
      discard: 'new',
    });
  });

  it('keeps defaults for options given as undefined', () => {
    expect(resolveStreamSettings({ name: undefined, replicas: 3 })).toMatchObject({
      name: 'INFRASTRUCTURE_EVENTS',
      replicas: 3,
    });
  });

  it.each<[string, Partial<StreamSettings>]>([
    ['a stream name with a dot', { name: 'A.B' }],
    ['a wildcard root', { subjectRoot: 'infra.*' }],
    ['an empty root token', { subjectRoot: 'infra..x' }],
    ['0 replicas', { replicas: 0 }],
    ['a dedup window longer than max age', { maxAgeMs: 1_000, duplicateWindowMs: 2_000 }],
    ['a zero byte limit', { maxBytes: 0 }],
    ['an unknown storage', { storage: 'disk' as 'file' }],
  ])('rejects %s', (_, settings) => {
    expect(codeOf(() => resolveStreamSettings(settings))).toBe('INVALID_OPTIONS');
  });
});

describe('stream config', () => {
  const desired = streamConfigFor({ ...DEFAULT_STREAM_SETTINGS, subjectRoot: 'r' });

  it('maps settings to a limits stream on root.> with nanosecond durations', () => {
    expect(desired).toMatchObject({
      subjects: ['r.>'],
      retention: 'limits',
      storage: 'file',
      num_replicas: 1,
      duplicate_window: 120_000_000_000,
      max_age: 0,
      max_msgs: -1,
      max_bytes: -1,
      discard: 'new',
    });
  });

  it('finds no difference with itself or with reordered subjects', () => {
    expect(diffStreamConfig({ ...desired }, desired)).toEqual([]);
    const two = { ...desired, subjects: ['a.>', 'b.>'] };
    expect(diffStreamConfig({ ...two, subjects: ['b.>', 'a.>'] }, two)).toEqual([]);
  });

  it('tells updatable differences from fixed ones', () => {
    const current = { ...desired, storage: 'memory' as const, duplicate_window: 1, subjects: ['x.>'] };
    expect(diffStreamConfig(current, desired).map((c) => [c.field, c.updatable])).toEqual([
      ['subjects', true],
      ['storage', false],
      ['duplicate_window', true],
    ]);
  });
});
