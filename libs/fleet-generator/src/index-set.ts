import type { Prng } from './prng.js';

/** A set of small non-negative integers with O(1) add, delete and uniform random pick. */
export class IndexSet {
  private readonly items: number[] = [];
  private readonly positions: number[] = [];

  get size(): number {
    return this.items.length;
  }

  has(item: number): boolean {
    return (this.positions[item] ?? -1) >= 0;
  }

  add(item: number): void {
    if (this.has(item)) return;
    this.positions[item] = this.items.length;
    this.items.push(item);
  }

  delete(item: number): void {
    const at = this.positions[item] ?? -1;
    if (at < 0) return;
    const last = this.items.pop()!;
    if (last !== item) {
      this.items[at] = last;
      this.positions[last] = at;
    }
    this.positions[item] = -1;
  }

  /** A uniformly chosen member, or undefined when empty. */
  pick(prng: Prng): number | undefined {
    return this.items.length === 0 ? undefined : this.items[Math.floor(prng.next() * this.items.length)];
  }
}
