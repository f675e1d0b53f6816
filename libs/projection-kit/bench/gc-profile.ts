import { GCProfiler } from 'node:v8';

/** What the heap did between {@link profileGc} and its stop(). */
export interface GcProfile {
  /** Bytes allocated on the JS heap: its growth between collections plus what each one freed. */
  allocatedBytes: number;
  /** Time spent in collections, young and old. */
  gcMs: number;
  scavenges: number;
  markCompacts: number;
}

/**
 * Starts V8's GC profiler. Bytes allocated are steady from run to run where times are not on a
 * shared machine, and they drive the young-generation GC cost of every replay.
 */
export const profileGc = (): { stop(): GcProfile } => {
  const profiler = new GCProfiler();
  const usedAtStart = process.memoryUsage().heapUsed;
  profiler.start();
  return {
    stop() {
      const { statistics } = profiler.stop();
      let allocatedBytes = 0;
      let used = usedAtStart;
      for (const gc of statistics) {
        allocatedBytes += gc.beforeGC.heapStatistics.usedHeapSize - used;
        used = gc.afterGC.heapStatistics.usedHeapSize;
      }
      allocatedBytes += process.memoryUsage().heapUsed - used;
      return {
        allocatedBytes,
        gcMs: statistics.reduce((sum, gc) => sum + gc.cost, 0) / 1000,
        scavenges: statistics.filter((gc) => gc.gcType === 'Scavenge').length,
        markCompacts: statistics.filter((gc) => gc.gcType === 'MarkSweepCompact').length,
      };
    },
  };
};
