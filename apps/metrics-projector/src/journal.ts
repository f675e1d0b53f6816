const ABSENT = Symbol('absent');

/**
 * An undo log for map writes: remembers each entry before it changes, and puts every one back (in
 * reverse order) on rollback. Cheaper than copying a model of 100k+ resources for every batch.
 * Map insertion order is not restored; nothing derived from the model depends on it.
 */
export class Journal {
  private readonly maps: Map<string, unknown>[] = [];
  private readonly keys: string[] = [];
  private readonly previous: unknown[] = [];

  /** Records `map[key]` as it is now; call before writing or deleting it. */
  remember<V>(map: Map<string, V>, key: string): void {
    this.maps.push(map as Map<string, unknown>);
    this.keys.push(key);
    this.previous.push(map.has(key) ? map.get(key) : ABSENT);
  }

  /** Sets `map[key]`, remembering the previous entry. */
  set<V>(map: Map<string, V>, key: string, value: V): void {
    this.remember(map, key);
    map.set(key, value);
  }

  /** Deletes `map[key]`, remembering the previous entry. */
  delete<V>(map: Map<string, V>, key: string): void {
    this.remember(map, key);
    map.delete(key);
  }

  /** Keeps the changes and forgets what they overwrote. */
  commit(): void {
    this.maps.length = 0;
    this.keys.length = 0;
    this.previous.length = 0;
  }

  /** Restores every remembered entry, newest first, and empties the log. */
  rollback(): void {
    for (let i = this.keys.length - 1; i >= 0; i--) {
      const map = this.maps[i]!;
      const key = this.keys[i]!;
      const value = this.previous[i];
      if (value === ABSENT) map.delete(key);
      else map.set(key, value);
    }
    this.commit();
  }
}
