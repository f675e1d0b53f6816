import { EventStoreError } from './errors.js';
import { MULTI_FILTER_MIN_VERSION, versionAtLeast } from './server-version.js';
import { anySubjectMatcher, filtersOverlap } from './subject-filter.js';

/** How a subject filter is applied: by the server where it can, else on the client. */
export interface ConsumerFilter {
  /** `filter_subjects` for the ordered consumer; undefined reads every subject of the stream. */
  server?: string | string[];
  /** Client-side predicate for filters the server cannot apply (several subjects before 2.10). */
  client?: (subject: string) => boolean;
}

/**
 * Plans a subject filter for a server of `serverVersion`. One subject is a server filter everywhere;
 * several are a server filter from 2.10 on (`filter_subjects`, which must not overlap) and a client-side
 * filter before, or when they overlap.
 */
export const planConsumerFilter = (
  filter: string | readonly string[] | undefined,
  serverVersion: string | undefined,
): ConsumerFilter => {
  if (filter === undefined) return {};
  const list = typeof filter === 'string' ? [filter] : [...filter];
  if (list.length === 0 || list.some((s) => s.trim() === '' || /\s/.test(s))) {
    throw new EventStoreError(
      'INVALID_OPTIONS',
      `filterSubject must be one or more subjects, got ${JSON.stringify(filter)}`,
    );
  }
  if (list.length === 1) return { server: list[0] as string };
  const overlapping = list.some((a, i) => list.slice(i + 1).some((b) => filtersOverlap(a, b)));
  if (!overlapping && versionAtLeast(serverVersion, MULTI_FILTER_MIN_VERSION)) return { server: list };
  return { client: anySubjectMatcher(list) };
};
