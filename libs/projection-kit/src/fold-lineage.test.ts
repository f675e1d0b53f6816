import { describe, expect, it } from 'vitest';
import { FoldLineage, type LineageFold } from './fold-lineage.js';

describe('FoldLineage', () => {
  it('lets a fold apply only on what it was opened on, and chains folds through the one written', () => {
    const lineage = new FoldLineage();
    const first: LineageFold = { base: lineage.current };
    const second: LineageFold = { base: first }; // opened on the first while it commits
    expect(lineage.holds(first)).toBe(true);
    expect(lineage.holds(second)).toBe(false);
    lineage.written(first);
    expect(first.base).toBeNull(); // let go: no chain of every fold before
    expect(lineage.holds(second)).toBe(true);
    const third: LineageFold = { base: second };
    lineage.written(undefined); // the second batch written without its fold
    expect(lineage.holds(second)).toBe(false);
    expect(lineage.holds(third)).toBe(false);
    const fresh: LineageFold = { base: lineage.current };
    lineage.moved(); // reloaded, reset or lost
    expect(lineage.holds(fresh)).toBe(false);
  });
});
