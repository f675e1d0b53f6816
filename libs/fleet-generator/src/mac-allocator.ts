import { FleetGeneratorError } from './errors.js';
import type { Prng } from './prng.js';

const NIC_SPACE = 2 ** 24;
const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Unique MAC addresses under vendor prefixes (OUIs). Each OUI counts up from a random offset, so one
 * device's ports get consecutive addresses as real hardware does, and no address repeats until 2^24
 * addresses of that OUI have been handed out (then it throws).
 */
export class MacAllocator {
  private readonly counters = new Map<string, { offset: number; used: number }>();

  constructor(private readonly prng: Prng) {}

  /** The next address under `oui` (`aa:bb:cc`), in lower-case colon form. */
  next(oui: string): string {
    let counter = this.counters.get(oui);
    if (counter === undefined) {
      counter = { offset: this.prng.uint32() % NIC_SPACE, used: 0 };
      this.counters.set(oui, counter);
    }
    if (counter.used >= NIC_SPACE) {
      throw new FleetGeneratorError(
        'ADDRESS_SPACE_EXHAUSTED',
        `all ${NIC_SPACE} MAC addresses under ${oui} are used`,
      );
    }
    const nic = (counter.offset + counter.used++) % NIC_SPACE;
    return `${oui}:${HEX_BYTE[nic >>> 16]}:${HEX_BYTE[(nic >>> 8) & 255]}:${HEX_BYTE[nic & 255]}`;
  }
}
