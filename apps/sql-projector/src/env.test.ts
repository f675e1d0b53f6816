import { EnvError } from '@cim/projection-kit';
import { describe, expect, it } from 'vitest';
import { parseSqlProjectorEnv } from './env.js';

describe('sql projector environment', () => {
  it('defaults to embedded PGlite, schema cim and metrics port 9471', () => {
    const env = parseSqlProjectorEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env).toMatchObject({
      PGLITE_DIR: '.data/sql-projector',
      DB_SCHEMA: 'cim',
      DB_POOL_SIZE: 4,
      METRICS_PORT: 9471,
      MAX_BATCH: 10_000,
      NATS_URL: 'nats://127.0.0.1:4222',
    });
    expect(parseSqlProjectorEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('takes a PostgreSQL URL and names every bad variable', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/cim';
    expect(parseSqlProjectorEnv({ DATABASE_URL: url, METRICS_PORT: '0' })).toMatchObject({
      DATABASE_URL: url,
      METRICS_PORT: 0,
    });
    const bad = () =>
      parseSqlProjectorEnv({ DATABASE_URL: 'mysql://x', DB_SCHEMA: 'Bad-Name', METRICS_PORT: 'x' });
    expect(bad).toThrow(EnvError);
    expect(bad).toThrow(/DATABASE_URL: must be a postgres:\/\//);
    expect(bad).toThrow(/DB_SCHEMA: must be a lower-case SQL identifier/);
    expect(bad).toThrow(/METRICS_PORT: /);
  });
});
