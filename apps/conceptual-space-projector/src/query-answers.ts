import { formatIssues } from '@cim/contract';
import {
  QUERY_REQUESTS,
  type QueryKind,
  type QueryReply,
  type QueryResults,
  queryError,
} from './query-protocol.js';
import { similarity } from './similarity.js';
import type { SpaceView } from './space-view.js';

/** Finds a live resource or says clearly why not. */
const locate = (view: SpaceView, id: string) => {
  const index = view.indexOf(id);
  if (index >= 0) return { index };
  const record = view.record(id);
  if (record)
    return queryError(
      'DECOMMISSIONED',
      `resource ${id} (${record.hostname}) is decommissioned and no longer in the space`,
    );
  return queryError(
    'NOT_FOUND',
    `no resource ${id} in the conceptual space (projected up to event ${view.snapshot.checkpoint})`,
  );
};

type Answer<K extends QueryKind> = (
  view: SpaceView,
  body: never,
) => QueryResults[K] | ReturnType<typeof queryError>;

const ANSWERS: { [K in QueryKind]: Answer<K> } = {
  similar(view, body: { id: string; k: number }) {
    const at = locate(view, body.id);
    if ('ok' in at) return at;
    return {
      resource: view.describe(at.index),
      results: view
        .similar(at.index, body.k)
        .map((r) => ({ ...r, similarity: similarity(r.distance, view.config.similarityDecay) })),
    };
  },
  classify(view, body: { id: string } | { qualities: Record<string, number> }) {
    if ('qualities' in body) {
      const memberships = view.classifyPoint(view.pointOf(body.qualities));
      return { resource: null, concept: memberships[0]?.degree ? memberships[0].concept : null, memberships };
    }
    const at = locate(view, body.id);
    if ('ok' in at) return at;
    const memberships = view.classifyPoint(view.z[at.index]!);
    return {
      resource: view.describe(at.index),
      concept: memberships[0]?.degree ? memberships[0].concept : null,
      memberships,
    };
  },
  anomalies(view, body: { k: number }) {
    return { ...view.anomalies(body.k), threshold: view.threshold, resources: view.live.length };
  },
  concepts(view) {
    return { concepts: view.concepts() };
  },
};

/** Validates a request body and answers it from a view; every failure is a reply, never a throw. */
export const answerQuery = <K extends QueryKind>(view: SpaceView, kind: K, body: unknown): QueryReply<K> => {
  const parsed = QUERY_REQUESTS[kind].safeParse(body);
  if (!parsed.success) return queryError('INVALID_REQUEST', `${kind}: ${formatIssues(parsed.error)}`);
  const answer = (
    ANSWERS[kind] as (v: SpaceView, b: unknown) => QueryResults[K] | ReturnType<typeof queryError>
  )(view, parsed.data);
  if ('ok' in answer) return answer;
  return { ok: true, checkpoint: view.snapshot.checkpoint, ...answer } as QueryReply<K>;
};
