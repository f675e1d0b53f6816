/**
 * True when `subject` matches the NATS subject `filter` (`*` one token, `>` one or more trailing
 * tokens). Used to filter on the client where the server cannot (several filters before 2.10).
 */
export const subjectMatches = (filter: string, subject: string): boolean => {
  if (filter === subject) return true;
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    const token = f[i];
    if (token === '>') return s.length > i;
    if (i >= s.length || (token !== '*' && token !== s[i])) return false;
  }
  return f.length === s.length;
};

/** A predicate matching any of `filters`. */
export const anySubjectMatcher = (filters: readonly string[]): ((subject: string) => boolean) => {
  if (filters.length === 1) {
    const only = filters[0] ?? '';
    return (subject) => subjectMatches(only, subject);
  }
  return (subject) => filters.some((f) => subjectMatches(f, subject));
};

/** The filter for one aggregate type's events, e.g. `infrastructure.compute.>`. */
export const aggregateTypeSubject = (root: string, aggregateType: string): string =>
  `${root}.${aggregateType}.>`;

/** True when some subject matches both filters (servers from 2.10 refuse overlapping consumer filters). */
export const filtersOverlap = (a: string, b: string): boolean => {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const [p, q] = [x[i], y[i]];
    if (p === '>' || q === '>') return p !== undefined && q !== undefined;
    if (p === undefined || q === undefined) return false;
    if (p !== '*' && q !== '*' && p !== q) return false;
  }
  return true;
};
