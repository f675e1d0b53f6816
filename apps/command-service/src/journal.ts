/**
 * An undo log of map writes. The write model applies events it has decided but not yet seen
 * acknowledged through a journal; when such an event loses the race for its stream position, undoing
 * the journal restores the state exactly, without replaying the stream.
 */
export class Journal {
  readonly #undo: Array<() => void> = [];

  set<K, V>(map: Map<K, V>, key: K, value: V): void {
    this.#remember(map, key);
    map.set(key, value);
  }

  delete<K, V>(map: Map<K, V>, key: K): void {
    if (!map.has(key)) return;
    this.#remember(map, key);
    map.delete(key);
  }

  /** Reverts every write, newest first, and empties the journal. */
  undo(): void {
    for (let i = this.#undo.length - 1; i >= 0; i--) this.#undo[i]!();
    this.#undo.length = 0;
  }

  #remember<K, V>(map: Map<K, V>, key: K): void {
    if (map.has(key)) {
      const previous = map.get(key) as V;
      this.#undo.push(() => map.set(key, previous));
    } else {
      this.#undo.push(() => map.delete(key));
    }
  }
}
