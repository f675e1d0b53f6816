/** Anything whose `status()` recomputes the lag gauges, such as the kit's Projector. */
export interface LagSource {
  status(): Promise<unknown>;
}

/** @default 5000 */
export const DEFAULT_LAG_REFRESH_MS = 5_000;

/**
 * Keeps `cim_projector_lag_events` / `cim_projector_lag_seconds` current between scrapes. The kit
 * sets them only when `status()` runs (admin status or /readyz); a scrape of /metrics alone would
 * export a stale lag, and the lag alerts depend on it. Returns a stop function.
 */
export const refreshLag = (source: LagSource, everyMs = DEFAULT_LAG_REFRESH_MS): (() => void) => {
  const timer = setInterval(() => {
    source.status().catch(() => {}); // status() records its own errors as last_error
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
};
