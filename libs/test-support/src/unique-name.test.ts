import { describe, expect, it } from 'vitest';
import { uniqueName, uniqueStreamName } from './unique-name.js';

describe('uniqueName', () => {
  it('makes names valid as SQL identifiers and JetStream tokens', () => {
    for (const prefix of ['orders', 'Event-Store.Tests', '9lives', 'a b*c>d', '']) {
      const name = uniqueName(prefix);
      expect(name).toMatch(/^[a-z_][a-z0-9_]*$/);
      expect(name.length).toBeLessThanOrEqual(63);
    }
    expect(uniqueName('orders')).toMatch(/^orders_[a-z0-9]{14}$/);
    expect(uniqueName('Event-Store.Tests')).toMatch(/^event_store_tests_/);
  });

  it('keeps long prefixes inside the identifier limit', () => {
    expect(uniqueName('x'.repeat(200)).length).toBeLessThanOrEqual(63);
  });

  it('does not repeat', () => {
    const names = new Set(Array.from({ length: 10_000 }, () => uniqueName('p')));
    expect(names.size).toBe(10_000);
  });

  it('has an upper-case variant for stream names', () => {
    expect(uniqueStreamName('events')).toMatch(/^EVENTS_[A-Z0-9]{14}$/);
  });
});
