import { cidrContains, parseCidr } from '@cim/contract';

interface Candidate {
  id: string;
  cidr: string;
}

type Buckets = Map<string, { prefixes: number[]; byKey: Map<string, Candidate[]> }>;

/** `kind/prefix/masked bytes`: equal for every address inside the same prefix. */
const maskedKey = (kind: string, bytes: number[], prefix: number): string => {
  const masked = bytes.map((byte, i) => {
    const bits = Math.min(8, Math.max(0, prefix - i * 8));
    return byte & (0xff << (8 - bits)) & 0xff;
  });
  return `${kind}/${prefix}/${masked.join('.')}`;
};

/**
 * The active networks by CIDR, immutable: `with`/`without` return a new index, so it can be the
 * state of the pure projection. `networkFor` answers the most specific network whose CIDR contains
 * an address (ties: smallest id), the same rule the SQL relink uses.
 */
export class NetworkIndex {
  private buckets: Buckets | undefined;

  private constructor(private readonly networks: ReadonlyMap<string, string>) {}

  static readonly empty = new NetworkIndex(new Map());

  /** An index of `[network id, cidr]` pairs. */
  static of(entries: Iterable<readonly [string, string]>): NetworkIndex {
    return new NetworkIndex(new Map(entries));
  }

  get size(): number {
    return this.networks.size;
  }

  cidrOf(id: string): string | undefined {
    return this.networks.get(id);
  }

  with(id: string, cidr: string): NetworkIndex {
    const next = new Map(this.networks);
    next.set(id, cidr);
    return new NetworkIndex(next);
  }

  without(id: string): NetworkIndex {
    if (!this.networks.has(id)) return this;
    const next = new Map(this.networks);
    next.delete(id);
    return new NetworkIndex(next);
  }

  /** The network an interface address (`ip/prefix` or bare ip) belongs to, or null. */
  networkFor(address: string): string | null {
    const parsed = parseCidr(address.includes('/') ? address : `${address}/0`);
    if (!parsed) return null;
    const kind = parsed[0].kind();
    const bucket = this.lookup().get(kind);
    if (!bucket) return null;
    const bytes = parsed[0].toByteArray();
    for (const prefix of bucket.prefixes) {
      const hits = bucket.byKey.get(maskedKey(kind, bytes, prefix));
      // The masked-key lookup finds the candidates fast; cidrContains is the rule that decides.
      const hit = hits?.find((c) => cidrContains(c.cidr, address));
      if (hit) return hit.id;
    }
    return null;
  }

  /** Built lazily and once per index: networks change rarely, addresses are looked up often. */
  private lookup(): Buckets {
    if (this.buckets) return this.buckets;
    const buckets: Buckets = new Map();
    for (const [id, cidr] of this.networks) {
      const parsed = parseCidr(cidr);
      if (!parsed) continue;
      const [address, prefix] = parsed;
      const kind = address.kind();
      let bucket = buckets.get(kind);
      if (!bucket) {
        bucket = { prefixes: [], byKey: new Map() };
        buckets.set(kind, bucket);
      }
      if (!bucket.prefixes.includes(prefix)) bucket.prefixes.push(prefix);
      const key = maskedKey(kind, address.toByteArray(), prefix);
      const list = bucket.byKey.get(key) ?? [];
      list.push({ id, cidr });
      bucket.byKey.set(key, list);
    }
    for (const bucket of buckets.values()) {
      bucket.prefixes.sort((a, b) => b - a);
      for (const list of bucket.byKey.values()) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    this.buckets = buckets;
    return buckets;
  }
}
