/** Server version from which a consumer takes several filter subjects (`filter_subjects`). */
export const MULTI_FILTER_MIN_VERSION = '2.10.0';

const parts = (version: string): number[] =>
  version
    .split('-')[0]!
    .split('.')
    .map((p) => Number.parseInt(p, 10) || 0);

/** True when `version` (e.g. `2.9.10`, `2.11.0-RC.1`) is at least `min`; an unknown version is not. */
export const versionAtLeast = (version: string | undefined, min: string): boolean => {
  if (!version) return false;
  const [a, b] = [parts(version), parts(min)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
};
