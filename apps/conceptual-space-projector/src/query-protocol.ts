import { z } from 'zod';
import { QUALITY_KEYS, type QualityKey } from './domains.js';
import type { SpaceView } from './space-view.js';

/** Queries the projector answers over NATS request/reply, on `{prefix}.{kind}` with a JSON body. */
export const QUERY_KINDS = ['similar', 'classify', 'anomalies', 'concepts'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

/** @default 'cim.query.space' */
export const DEFAULT_QUERY_PREFIX = 'cim.query.space';

export const querySubject = (kind: QueryKind, prefix: string = DEFAULT_QUERY_PREFIX): string =>
  `${prefix}.${kind}`;

export const isQueryKind = (value: string): value is QueryKind =>
  (QUERY_KINDS as readonly string[]).includes(value);

const id = z.uuid({ error: (iss) => `id must be a resource UUID, got ${JSON.stringify(iss.input)}` });
const count = (max: number, fallback: number) =>
  z
    .number({ error: `k must be an integer from 1 to ${max}` })
    .int(`k must be an integer from 1 to ${max}`)
    .min(1, `k must be an integer from 1 to ${max}`)
    .max(max, `k must be an integer from 1 to ${max}`)
    .default(fallback);

/** Request bodies by kind (unknown fields are rejected, so a typo does not pass silently). */
export const QUERY_REQUESTS = {
  /** The k resources most similar to `id`. */
  similar: z.strictObject({ id, k: count(100, 10) }),
  /** Membership degrees of a resource (`id`) or of a point given by its qualities in catalog units. */
  classify: z.union([
    z.strictObject({ id }),
    z.strictObject({
      qualities: z
        .partialRecord(z.enum(QUALITY_KEYS as [QualityKey, ...QualityKey[]]), z.number().nonnegative())
        .refine((q) => Object.keys(q).length > 0, 'qualities must name at least one quality'),
    }),
  ]),
  /** The k farthest resources above the anomaly threshold, with per-domain reasons. */
  anomalies: z.strictObject({ k: count(500, 20) }),
  /** Concepts, prototypes (catalog units), members and radii. */
  concepts: z.strictObject({}),
} as const;

export type QueryRequest<K extends QueryKind> = z.input<(typeof QUERY_REQUESTS)[K]>;

export const QUERY_ERROR_CODES = [
  'INVALID_REQUEST',
  'UNKNOWN_QUERY',
  'NOT_FOUND',
  'DECOMMISSIONED',
  'UNAVAILABLE',
] as const;
export type QueryErrorCode = (typeof QUERY_ERROR_CODES)[number];

export interface QueryError {
  ok: false;
  error: { code: QueryErrorCode; message: string };
}

type Classification = ReturnType<SpaceView['classifyPoint']>;

/** What each query answers with when it succeeds. */
export interface QueryResults {
  similar: {
    resource: ReturnType<SpaceView['describe']>;
    results: (ReturnType<SpaceView['similar']>[number] & { similarity: number })[];
  };
  classify: {
    resource: ReturnType<SpaceView['describe']> | null;
    concept: string | null;
    memberships: Classification;
  };
  anomalies: ReturnType<SpaceView['anomalies']> & {
    threshold: SpaceView['threshold'];
    resources: number;
  };
  concepts: { concepts: ReturnType<SpaceView['concepts']> };
}

export type QueryReply<K extends QueryKind> =
  | ({ ok: true; checkpoint: number } & QueryResults[K])
  | QueryError;

export const queryError = (code: QueryErrorCode, message: string): QueryError => ({
  ok: false,
  error: { code, message },
});
