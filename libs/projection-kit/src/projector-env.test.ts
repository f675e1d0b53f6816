import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_BATCH,
  EnvError,
  maxBatchSetting,
  parseEnv,
  projectorEnvSchema,
} from './projector-env.js';

describe('projector environment', () => {
  it('batches DEFAULT_MAX_BATCH events unless MAX_BATCH says otherwise', () => {
    expect(DEFAULT_MAX_BATCH).toBe(3000);
    expect(parseEnv(projectorEnvSchema, { METRICS_PORT: '0' }).MAX_BATCH).toBe(DEFAULT_MAX_BATCH);
    expect(parseEnv(projectorEnvSchema, { METRICS_PORT: '0', MAX_BATCH: '500' }).MAX_BATCH).toBe(500);
    // An empty variable is unset, not zero.
    expect(parseEnv(projectorEnvSchema, { METRICS_PORT: '0', MAX_BATCH: '' }).MAX_BATCH).toBe(
      DEFAULT_MAX_BATCH,
    );
  });

  it('names a batch size that is not a positive integer', () => {
    for (const bad of ['0', '-5', '2.5', 'many']) {
      const parse = () => parseEnv(projectorEnvSchema, { METRICS_PORT: '0', MAX_BATCH: bad });
      expect(parse).toThrow(EnvError);
      expect(parse).toThrow(/MAX_BATCH: /);
    }
  });

  it('lets an app set its own default batch size, checked the same way', () => {
    const app = projectorEnvSchema.extend({ MAX_BATCH: maxBatchSetting(6000) });
    expect(parseEnv(app, { METRICS_PORT: '0' }).MAX_BATCH).toBe(6000);
    expect(parseEnv(app, { METRICS_PORT: '0', MAX_BATCH: '' }).MAX_BATCH).toBe(6000);
    expect(parseEnv(app, { METRICS_PORT: '0', MAX_BATCH: '250' }).MAX_BATCH).toBe(250);
    for (const bad of ['0', '-5', '2.5', 'many'])
      expect(() => parseEnv(app, { METRICS_PORT: '0', MAX_BATCH: bad })).toThrow(/MAX_BATCH: /);
  });
});
