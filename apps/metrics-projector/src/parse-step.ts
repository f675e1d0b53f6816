const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds of a Prometheus-style duration: `500ms`, `30s`, `1m`, `1h30m`, `1d`. Throws a
 * RangeError naming the input when it is not one (or is zero).
 */
export const parseStep = (text: string): number => {
  const parts = [...text.trim().matchAll(/(\d+)(ms|s|m|h|d)/g)];
  const ms = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit!]!, 0);
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim() || ms <= 0)
    throw new RangeError(`invalid duration '${text}' (use e.g. 30s, 1m, 1h30m)`);
  return ms;
};
