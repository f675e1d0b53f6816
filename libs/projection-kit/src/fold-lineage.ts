/** A fold on arrival as {@link FoldLineage} tracks it: what it was opened on, let go once written. */
export interface LineageFold {
  /** The fold it was opened on, or the store's state then ({@link FoldLineage.current}); null once written. */
  base: object | null;
}

/**
 * Which folds on arrival ({@link Prefold}) still apply, for an adapter: the store holds either the
 * fold written last or, after any other change (a load, a reset, a batch written without its fold,
 * a failure that leaves the state unknown), a fresh token. A fold applies if it was opened on it.
 */
export class FoldLineage {
  private head: object = {};

  /** What the store holds now: the base of a fold opened on it. */
  get current(): object {
    return this.head;
  }

  /** The store holds what `fold` was opened on. */
  holds(fold: LineageFold): boolean {
    return fold.base === this.head;
  }

  /**
   * A commit went through: written with `fold`, on which the next folds are opened (its own base is
   * let go, so folds do not keep a chain of all before them), or without one (the state moved).
   */
  written(fold: LineageFold | undefined): void {
    this.head = fold ?? {};
    if (fold) fold.base = null;
  }

  /** The state changed other than by writing a fold: no fold opened before applies. */
  moved(): void {
    this.head = {};
  }
}
