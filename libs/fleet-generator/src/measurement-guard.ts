const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A cheap check that a ComputeMeasured payload is one the contract's schema accepts unchanged: only
 * known fields, ratios finite in [0, 1], amounts finite and ≥ 0, at least one quality, `measured_at` in
 * `toISOString` form. Stricter than the schema, so whatever passes here also passes `decodeEvent`;
 * lets the generator skip schema parsing for the bulk of its events.
 */
export const isWellFormedMeasurement = (payload: Readonly<Record<string, unknown>>): boolean => {
  let qualities = 0;
  for (const key in payload) {
    const value = payload[key];
    // Comparisons with NaN are false, so NaN fails both numeric checks.
    switch (key) {
      case 'cpu_utilization':
      case 'memory_utilization':
      case 'disk_utilization':
      case 'error_rate':
        if (!(typeof value === 'number' && value >= 0 && value <= 1)) return false;
        qualities++;
        break;
      case 'network_throughput_mbps':
      case 'disk_iops':
      case 'uptime_seconds':
      case 'latency_ms':
      case 'latency_variance':
        if (!(typeof value === 'number' && value >= 0 && value < Number.POSITIVE_INFINITY)) return false;
        qualities++;
        break;
      case 'measured_at':
        if (!(typeof value === 'string' && ISO_UTC.test(value))) return false;
        break;
      default:
        return false;
    }
  }
  return qualities > 0;
};
