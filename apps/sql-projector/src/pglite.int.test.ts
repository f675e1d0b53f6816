import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeEvent, type InfrastructureEvent } from '@cim/contract';
import { generateFleet } from '@cim/fleet-generator';
import { applyBatch, type StreamEvent } from '@cim/projection-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from './database.js';
import { PGLITE_LOCK_FILE } from './pglite-lock.js';
import { readModelOf } from './read-model.js';
import { referenceModel } from './reference-model.fixture.js';
import { runReport } from './reports.js';
import { snapshotModel } from './snapshot.fixture.js';
import { SqlProjectionAdapter } from './sql-adapter.js';

const events: InfrastructureEvent[] = [...generateFleet({ resources: 12, events: 90, seed: 5 })];
const messages = events.map((event, i) => ({
  sequence: i + 1,
  subject: `infrastructure.${event.aggregate_type}`,
  timestamp: new Date(),
  data: encodeEvent(event),
}));
const streamEvents: StreamEvent[] = messages.map((m, i) => ({ ...m, event: events[i]! }));

const refuse = async () => {
  throw new Error('no event of a generated stream is poison');
};

// The embedded store of a demo without DATABASE_URL: same migrations, projection and reports.
describe('embedded PGlite read model', () => {
  let dir: string;
  let database: OpenDatabase;
  let adapter: SqlProjectionAdapter;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sqlp-pglite-'));
    database = await openDatabase({ pglite: join(dir, 'data') });
    adapter = new SqlProjectionAdapter({ database, schema: 'cim' });
    await adapter.initialize();
  }, 120_000);
  afterAll(async () => {
    await adapter?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('migrates, projects a small stream with its checkpoint and answers a report', async () => {
    const result = await applyBatch(adapter, messages, await adapter.readCheckpoint(), {
      deadLetter: refuse,
    });
    expect(result).toMatchObject({ halted: false, checkpoint: messages.length, applied: messages.length });
    const expected = referenceModel(streamEvents);
    expect(await snapshotModel(database.db, 'cim', adapter.name)).toEqual(expected);

    const inventory = await runReport(readModelOf(database), 'inventory');
    const resources = Object.values(expected.compute_resources);
    expect(inventory.reduce((n, r) => n + Number(r.resources), 0)).toBe(resources.length);
    expect(inventory.find((r) => r.resource_type === 'virtual_machine')?.resources).toBe(
      resources.filter((r) => r.resource_type === 'virtual_machine' && r.status === 'active').length,
    );
  }, 120_000);

  it('rebuilds into a shadow schema and swaps it in', async () => {
    await adapter.shadow.begin();
    await applyBatch(adapter, messages, await adapter.readCheckpoint(), { deadLetter: refuse });
    await adapter.shadow.swap();
    expect(await snapshotModel(database.db, 'cim', adapter.name)).toEqual(referenceModel(streamEvents));
  }, 120_000);

  it('refuses a data directory another live process has open', async () => {
    const other = join(dir, 'other');
    await mkdir(other);
    await writeFile(join(other, PGLITE_LOCK_FILE), String(process.ppid));
    await expect(openDatabase({ pglite: other })).rejects.toMatchObject({
      code: 'STORE_LOCKED',
      message: expect.stringMatching(new RegExp(`open in process ${process.ppid}`)),
    });
  });
});
