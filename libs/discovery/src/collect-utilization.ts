import { setTimeout as sleep } from 'node:timers/promises';
import si, { type Systeminformation } from 'systeminformation';
import type { UtilizationFacts } from './facts.js';

/** Default length of the CPU and network sampling window. */
export const DEFAULT_SAMPLE_MS = 1_000;
/** si.currentLoad() returns its previous result when called again within 200 ms. */
const MIN_SAMPLE_MS = 250;

const clampRatio = (value: number): number => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);

/** Filesystems on local disks (bind mounts of one device counted once), or `/` itself (overlay in containers). */
export function localFilesystems(
  filesystems: readonly Systeminformation.FsSizeData[],
): Systeminformation.FsSizeData[] {
  const byDevice = new Map<string, Systeminformation.FsSizeData>();
  for (const f of filesystems) {
    const onDisk = f.fs.startsWith('/dev/') && !f.fs.startsWith('/dev/loop');
    if ((onDisk || f.mount === '/') && !byDevice.has(f.fs)) byDevice.set(f.fs, f);
  }
  return [...byDevice.values()];
}

/**
 * Utilization over a window of `sampleMs`: si's CPU load and interface counters are deltas between
 * two calls (a single call reports the average since boot, or nothing), so both are read at the
 * start and again at the end of the window.
 */
export async function collectUtilization(
  filesystems: readonly Systeminformation.FsSizeData[],
  sampleMs = DEFAULT_SAMPLE_MS,
): Promise<UtilizationFacts> {
  const window = Math.max(sampleMs, MIN_SAMPLE_MS);
  await Promise.all([si.currentLoad(), si.networkStats('*')]);
  await sleep(window);
  const [load, stats, mem] = await Promise.all([si.currentLoad(), si.networkStats('*'), si.mem()]);
  const bytesPerSecond = stats
    .filter((s) => s.iface !== 'lo')
    .reduce((sum, s) => sum + (s.rx_sec ?? 0) + (s.tx_sec ?? 0), 0);
  const disks = localFilesystems(filesystems);
  const used = disks.reduce((sum, f) => sum + f.used, 0);
  const usable = disks.reduce((sum, f) => sum + f.used + (f.available ?? 0), 0);
  return {
    cpu: clampRatio(load.currentLoad / 100),
    memory: clampRatio(mem.total > 0 ? (mem.total - mem.available) / mem.total : 0),
    disk: clampRatio(usable > 0 ? used / usable : 0),
    networkMbps: Math.max(0, (bytesPerSecond * 8) / 1e6),
    uptimeSeconds: Math.max(0, Math.round(si.time().uptime)),
    sampleMs: window,
  };
}
