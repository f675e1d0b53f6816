import { describe, expect, it } from 'vitest';
import { probePostgres } from './postgres-probe.js';

describe('probePostgres (cim up decides whether the conceptual space can run)', () => {
  it('answers true for the local PostgreSQL', async () => {
    expect(await probePostgres('postgres://postgres@127.0.0.1:5432/postgres', 'local')).toBe(true);
  });

  it('says why not, naming the server by its label and never printing the URL', async () => {
    const why = await probePostgres('postgres://cim:secret@127.0.0.1:1/space', 'DATABASE_URL', 1_000);
    expect(why).toMatch(/^no PostgreSQL answers at DATABASE_URL \(.+\); set DATABASE_URL$/);
    expect(why).not.toContain('secret');
  });
});
