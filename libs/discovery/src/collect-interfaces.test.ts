import { describe, expect, it } from 'vitest';
import { maskToPrefix } from './collect-interfaces.js';

describe('maskToPrefix', () => {
  it.each([
    ['255.255.255.0', 24],
    ['255.255.254.0', 23],
    ['255.0.0.0', 8],
    ['255.255.255.255', 32],
    ['0.0.0.0', 0],
    ['ffff:ffff:ffff:ffff::', 64],
    ['ffff:ffff:ffff:ff00::', 56],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 128],
    ['::', 0],
  ])('%s → /%i', (mask, prefix) => {
    expect(maskToPrefix(mask)).toBe(prefix);
  });

  it.each(['255.0.255.0', '255.255.255', 'ffff::ffff', 'zzzz::', '', '1:2:3:4:5:6:7:8:9'])(
    'rejects %j',
    (mask) => {
      expect(maskToPrefix(mask)).toBeUndefined();
    },
  );
});
