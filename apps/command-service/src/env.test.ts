import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.js';
import { isCommandServiceError } from './errors.js';

describe('parseEnv', () => {
  it('has defaults for a local NATS', () => {
    expect(parseEnv({})).toEqual({
      NATS_URL: 'nats://127.0.0.1:4222',
      EVENT_STREAM: 'INFRASTRUCTURE_EVENTS',
      SUBJECT_ROOT: 'infrastructure',
      COMMAND_PREFIX: 'cim.cmd',
      LOG_LEVEL: 'info',
    });
  });

  it('fails fast naming the variable', () => {
    try {
      parseEnv({ LOG_LEVEL: 'loud', COMMAND_PREFIX: 'cim.>' });
      expect.unreachable();
    } catch (e) {
      expect(isCommandServiceError(e) && e.code).toBe('INVALID_CONFIG');
      expect((e as Error).message).toContain('COMMAND_PREFIX: dot-separated subject tokens, no wildcards');
      expect((e as Error).message).toContain('LOG_LEVEL: Invalid option');
    }
  });
});
