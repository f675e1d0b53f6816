import { FleetGeneratorError } from './errors.js';

/** Dotted-quad text of an IPv4 address held as an unsigned 32-bit integer. */
export const ipv4ToString = (ip: number): string =>
  `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;

/** Smallest prefix length, at most `maxPrefix`, whose block holds `hosts` addresses besides network, gateway and broadcast. */
export const prefixForHosts = (hosts: number, maxPrefix = 28): number => {
  let prefix = maxPrefix;
  while (prefix > 0 && 2 ** (32 - prefix) - 3 < hosts) prefix--;
  return prefix;
};

/** Number of addresses in a block of the given prefix length. */
export const blockSize = (prefix: number): number => 2 ** (32 - prefix);

/**
 * Hands out aligned, non-overlapping IPv4 blocks from one range (default 10.0.0.0/8), in order.
 * Throws {@link FleetGeneratorError} `ADDRESS_SPACE_EXHAUSTED` when the range is used up.
 */
export class Ipv4BlockAllocator {
  private cursor: number;

  constructor(
    private readonly first = 10 * 2 ** 24,
    private readonly end = 11 * 2 ** 24,
  ) {
    this.cursor = first;
  }

  /** The network address of a new block of `prefix` length. */
  allocate(prefix: number): number {
    const size = blockSize(prefix);
    const network = Math.ceil(this.cursor / size) * size;
    if (network + size > this.end) {
      throw new FleetGeneratorError(
        'ADDRESS_SPACE_EXHAUSTED',
        `no /${prefix} left in ${ipv4ToString(this.first)}–${ipv4ToString(this.end - 1)}; generate fewer resources`,
      );
    }
    this.cursor = network + size;
    return network;
  }
}
