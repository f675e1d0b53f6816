import { createTestDatabase, type TestDatabase } from '@cim/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryReferenceAdapter } from '../testing/memory-reference-adapter.js';
import { PgReferenceAdapter } from '../testing/pg-reference-adapter.js';
import { foldReference } from '../testing/reference-projection.js';
import { checkProjectionLaws } from './projection-laws.js';

/** The text of the law violation the suite reports for `adapter` (fails if it reports none). */
const violationOf = async (
  adapter: MemoryReferenceAdapter,
  model: () => MemoryReferenceAdapter['model'],
): Promise<string> => {
  const failure = await checkProjectionLaws({
    adapter,
    snapshot: async () => structuredClone(model()),
    reference: foldReference,
  }).catch((e: Error) => e);
  expect(failure).toBeInstanceOf(Error);
  // fast-check wraps the law's error; its text is in the message or the cause.
  return `${(failure as Error).message} ${String((failure as Error).cause)}`;
};

describe('projection laws', () => {
  it('hold for the in-memory reference adapter', async () => {
    const adapter = new MemoryReferenceAdapter();
    await checkProjectionLaws(
      { adapter, snapshot: async () => structuredClone(adapter.model), reference: foldReference },
      { runs: 20 },
    );
  });

  it('catch an adapter that breaks composition (applies only the first event of each batch)', async () => {
    const adapter = new MemoryReferenceAdapter();
    const broken = Object.assign(Object.create(adapter) as MemoryReferenceAdapter, {
      project: (
        batch: Parameters<MemoryReferenceAdapter['project']>[0],
        tx: Parameters<MemoryReferenceAdapter['project']>[1],
      ) => adapter.project(batch.slice(0, 1), tx),
    });
    expect(await violationOf(broken, () => adapter.model)).toMatch(/(reference|composition) law violated/);
  });

  it('catch an adapter whose deferred work on catching up changes the model', async () => {
    const adapter = new MemoryReferenceAdapter();
    const broken = Object.assign(Object.create(adapter) as MemoryReferenceAdapter, {
      caughtUp: () => broken.reset(),
    });
    expect(await violationOf(broken, () => broken.model)).toMatch(/catching up law violated/);
  });
});

describe('projection laws on PostgreSQL', () => {
  let db: TestDatabase;
  let adapter: PgReferenceAdapter;
  beforeAll(async () => {
    db = await createTestDatabase('laws');
    adapter = new PgReferenceAdapter({ connectionString: db.url, name: 'laws', schema: 'laws' });
  });
  afterAll(async () => {
    await adapter?.close();
    await db?.drop();
  });

  it('hold for the PostgreSQL reference adapter', async () => {
    await checkProjectionLaws(
      { adapter, snapshot: () => adapter.snapshot(), reference: foldReference },
      { runs: 6 },
    );
  });

  it('hold for the PostgreSQL reference adapter folding on arrival', async () => {
    const folding = new PgReferenceAdapter({
      connectionString: db.url,
      name: 'laws_prefold',
      schema: 'laws_prefold',
      prefold: true,
    });
    try {
      await checkProjectionLaws(
        { adapter: folding, snapshot: () => folding.snapshot(), reference: foldReference },
        { runs: 6 },
      );
    } finally {
      await folding.close();
    }
  });
});
