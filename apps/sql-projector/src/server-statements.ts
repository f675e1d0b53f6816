import pg from 'pg';

/** Distinct statement texts prepared at most; the rest run inline. A model has a few dozen. */
export const MAX_SHAPES = 256;

const DUPLICATE_STATEMENT = '42P05';

/**
 * Statements prepared on the server (`PREPARE name AS …`) by their text, one name per text for the
 * process, prepared once per connection. A batch's statements have few shapes: their values are
 * arrays, so the text depends on the table and the columns written, not on the rows. With the
 * transaction's `plan_cache_mode = force_generic_plan` an `EXECUTE` is neither parsed nor planned
 * again. Preparing is a round trip of its own, outside the batch's message: a text PostgreSQL cannot
 * prepare (it cannot tell a parameter's type) runs inline instead and never fails a batch.
 */
export class ServerStatements {
  private readonly names = new Map<string, string>();
  private readonly inline = new Set<string>();
  private readonly prepared = new WeakMap<pg.ClientBase, Set<string>>();

  /** The name `text` runs under on `client`, preparing it there first; undefined: run it inline. */
  async prepare(client: pg.ClientBase, text: string): Promise<string | undefined> {
    let name = this.names.get(text);
    const on = this.prepared.get(client);
    if (name !== undefined && on?.has(name)) return name;
    if (this.inline.has(text)) return undefined;
    if (name === undefined) {
      if (this.names.size >= MAX_SHAPES) return undefined;
      name = `cim_sql_${this.names.size + 1}`;
      this.names.set(text, name);
    }
    try {
      await client.query(`PREPARE ${name} AS ${text}`);
    } catch (error) {
      const code = error instanceof pg.DatabaseError ? error.code : undefined;
      // Prepared already (forgotten after another name was deallocated): a name has one text.
      if (code !== DUPLICATE_STATEMENT) {
        // A statement PostgreSQL refuses to prepare (SQLSTATE class 42: it cannot type a parameter)
        // runs inline; anything else (the connection) is the batch's failure.
        if (!code?.startsWith('42')) throw error;
        this.inline.add(text);
        return undefined;
      }
    }
    if (on) on.add(name);
    else this.prepared.set(client, new Set([name]));
    return name;
  }

  /** The texts PostgreSQL refused to prepare, which run inline (none of the model's should). */
  refused(): string[] {
    return [...this.inline];
  }

  /** Forgets what `client` has prepared (after its statements were deallocated). */
  forget(client: pg.ClientBase): void {
    this.prepared.delete(client);
  }
}
