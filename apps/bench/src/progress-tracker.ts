import type { ProgressNotice } from '@cim/projection-kit';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';

/** Every progress notice of every projector under an admin prefix, in arrival order per projector. */
export class ProgressTracker {
  readonly notices = new Map<string, ProgressNotice[]>();
  private readonly sub: Subscription;
  private readonly waiters = new Set<() => void>();

  constructor(nc: NatsConnection, adminPrefix: string) {
    this.sub = nc.subscribe(`${adminPrefix}.progress.*`, {
      callback: (_e, m) => {
        const name = m.subject.slice(m.subject.lastIndexOf('.') + 1);
        const list = this.notices.get(name) ?? [];
        list.push(m.json<ProgressNotice>());
        this.notices.set(name, list);
        for (const w of this.waiters) w();
      },
    });
  }

  checkpointOf(name: string): number {
    return this.notices.get(name)?.at(-1)?.checkpoint ?? 0;
  }

  names(): string[] {
    return [...this.notices.keys()];
  }

  /** Resolves when `predicate` holds, re-checked at every notice; rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  clear(): void {
    this.notices.clear();
  }

  stop(): void {
    this.sub.unsubscribe();
  }
}
