/** A resource of the space as the fold keeps it. Records are immutable: a change makes a new one. */
export interface ResourceRecord {
  readonly id: string;
  readonly hostname: string;
  readonly type: string;
  /** Index of the concept the resource's type labels it with; -1 when unlabelled. */
  readonly concept: number;
  readonly status: ResourceStatus;
  /**
   * Transformed (not yet z-scored) coordinates, one per dimension; NaN = not known. A plain array of
   * doubles: V8 keeps it unboxed on the heap, where a Float64Array this size would get an off-heap
   * buffer per record (slow to allocate and to collect, and there is one per event).
   */
  readonly coords: readonly number[];
  /** Measurements folded into the moving averages. */
  readonly samples: number;
  readonly version: number;
  /** Stream sequence of the registration; orders resources the same way after a reload. */
  readonly registeredSeq: number;
  readonly updatedSeq: number;
}

export type ResourceStatus = 'active' | 'maintenance' | 'degraded' | 'offline' | 'decommissioned';

/** Decommissioned resources stay readable but leave the statistics and the prototypes. */
export const isLive = (r: ResourceRecord): boolean => r.status !== 'decommissioned';

/**
 * Resources by id: a committed base plus the changes of the batch in hand. The base is never written
 * while a batch is open, so a rolled-back transaction just drops the table; a committed one merges.
 */
export class ResourceTable {
  private readonly changes = new Map<string, ResourceRecord>();

  constructor(
    private readonly base: Map<string, ResourceRecord> = new Map(),
    /** The table of the batch before, still committing, whose changes this one sees ({@link stack}). */
    private below?: ResourceTable,
  ) {}

  get(id: string): ResourceRecord | undefined {
    return this.changes.get(id) ?? (this.below ? this.below.get(id) : this.base.get(id));
  }

  set(record: ResourceRecord): void {
    this.changes.set(record.id, record);
  }

  get size(): number {
    let added = 0;
    for (const id of this.changes.keys()) if (!this.base.has(id)) added++;
    return this.base.size + added;
  }

  /** Records changed since the table was opened over its base. */
  changed(): IterableIterator<ResourceRecord> {
    return this.changes.values();
  }

  /** Every record, base order first (registration order), new ones after. */
  *values(): IterableIterator<ResourceRecord> {
    for (const [id, r] of this.base) yield this.changes.get(id) ?? r;
    for (const [id, r] of this.changes) if (!this.base.has(id)) yield r;
  }

  /** A new table over the same base with this table's changes applied to it (the commit). */
  merge(): ResourceTable {
    for (const [id, r] of this.changes) this.base.set(id, r);
    return new ResourceTable(this.base);
  }

  /**
   * A table for the next batch while this one's changes are not committed yet: it sees them without
   * copying them. `size` and `values` count only the base and its own changes until {@link unstack}.
   */
  stack(): ResourceTable {
    return new ResourceTable(this.base, this);
  }

  /** Stops looking at the table it was stacked on, whose changes the base now holds (committed). */
  unstack(): void {
    this.below = undefined;
  }

  /** A table whose base is this table's current view; changes to it leave this one alone. */
  fork(): ResourceTable {
    if (this.changes.size > 0) throw new Error('fork() of a table with uncommitted changes');
    return new ResourceTable(this.base);
  }
}
