import { describe, expect, it } from 'vitest';
import { probePostgres, redactUrl } from './postgres-probe.js';

describe('probePostgres (cim up decides whether the conceptual space can run)', () => {
  it('answers true for the local PostgreSQL', async () => {
    expect(await probePostgres('postgres://postgres@127.0.0.1:5432/postgres')).toBe(true);
  });

  it('says why not, without the password, when nothing answers', async () => {
    const why = await probePostgres('postgres://cim:secret@127.0.0.1:1/space', 1_000);
    expect(why).toMatch(
      /^no PostgreSQL answers at postgres:\/\/cim:\*\*\*@127\.0\.0\.1:1\/space \(.+\); set DATABASE_URL$/,
    );
    expect(why).not.toContain('secret');
  });

  it('redacts only the password', () => {
    expect(redactUrl('postgres://u@h:5432/d')).toBe('postgres://u@h:5432/d');
    expect(redactUrl('not a url')).toBe('(unparseable connection string)');
  });
});
