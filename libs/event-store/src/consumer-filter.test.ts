import { describe, expect, it } from 'vitest';
import { planConsumerFilter } from './consumer-filter.js';
import { isEventStoreError } from './errors.js';

describe('planConsumerFilter', () => {
  it('reads everything without a filter', () => {
    expect(planConsumerFilter(undefined, '2.9.10')).toEqual({});
  });

  it('lets the server filter one subject on every version', () => {
    expect(planConsumerFilter('r.compute.>', '2.9.10')).toEqual({ server: 'r.compute.>' });
    expect(planConsumerFilter(['r.compute.>'], '2.15.1')).toEqual({ server: 'r.compute.>' });
  });

  it('lets servers from 2.10 filter several subjects', () => {
    expect(planConsumerFilter(['r.compute.>', 'r.network.>'], '2.10.0')).toEqual({
      server: ['r.compute.>', 'r.network.>'],
    });
  });

  it('filters several subjects on the client before 2.10', () => {
    const plan = planConsumerFilter(['r.compute.>', 'r.network.>'], '2.9.10');
    expect(plan.server).toBeUndefined();
    expect(plan.client?.('r.network.defined')).toBe(true);
    expect(plan.client?.('r.policy.set')).toBe(false);
  });

  it('filters overlapping subjects on the client, which newer servers refuse', () => {
    const plan = planConsumerFilter(['r.>', 'r.compute.>'], '2.15.1');
    expect(plan.server).toBeUndefined();
    expect(plan.client?.('r.policy.set')).toBe(true);
  });

  it('rejects an empty filter', () => {
    for (const bad of [[], '', ['r.>', ' ']]) {
      let error: unknown;
      try {
        planConsumerFilter(bad, '2.15.1');
      } catch (e) {
        error = e;
      }
      expect(isEventStoreError(error) && error.code).toBe('INVALID_OPTIONS');
    }
  });
});
