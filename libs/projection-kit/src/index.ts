export {
  foldBatch,
  type HealthState,
  type HealthStatus,
  type Prefold,
  type PrefoldedBatch,
  type Projection,
  type ProjectionAdapter,
  type ShadowRebuild,
  type StreamEvent,
} from './adapter.js';
export { gatherFleetStatus, requestAdmin } from './admin-client.js';
export { serveAdmin } from './admin-server.js';
export {
  ADMIN_VERBS,
  type AdminReply,
  type AdminVerb,
  DEFAULT_ADMIN_PREFIX,
  fleetStatusSubject,
  isAdminVerb,
  type ProgressNotice,
  progressSubject,
  projectorAdminSubject,
} from './admin-subjects.js';
export {
  type ApplyBatchOptions,
  type ApplyBatchResult,
  applyBatch,
  type RawStreamMessage,
} from './apply-batch.js';
export { type BackoffOptions, backoffDelay, sleep } from './backoff.js';
export { DEFAULT_CHECKPOINT_BUCKET, KvCheckpointStore } from './checkpoint/kv-checkpoint.js';
export {
  CHECKPOINT_MOVED_SQLSTATE,
  checkpointMovedFrom,
  DEFAULT_CHECKPOINT_TABLE,
  ensureCheckpointGuard,
  ensureCheckpointTable,
  readSqlCheckpoint,
  type SqlExecutor,
  type SqlStatement,
  sqlCheckpointAdvance,
  writeSqlCheckpoint,
} from './checkpoint/sql-checkpoint.js';
export { type DurableConsumerSpec, reconcileConsumer } from './consumer.js';
export {
  DEFAULT_DLQ_PREFIX,
  DEFAULT_DLQ_STREAM,
  type DeadLetter,
  type DeadLetterOptions,
  DeadLetterQueue,
  type StoredDeadLetter,
} from './dead-letter.js';
export {
  CheckpointMovedError,
  isProjectionError,
  isTransientError,
  ProjectionError,
  type ProjectionErrorCode,
  TransientError,
} from './errors.js';
export { FoldLineage, type LineageFold } from './fold-lineage.js';
export { type HealthSource, type HttpServerOptions, startHttpServer } from './http-server.js';
export { type Logger, silentLogger } from './logger.js';
export { createProjectorMetrics, type ProjectorMetrics } from './metrics.js';
export { appNodeOptions } from './node-options.js';
export { DEFAULT_EVENT_STREAM, Projector, type ProjectorOptions } from './projector.js';
export {
  DEFAULT_MAX_BATCH,
  EnvError,
  maxBatchSetting,
  type ProjectorEnv,
  parseEnv,
  projectorEnvSchema,
} from './projector-env.js';
export { type RunningProjector, runProjector } from './run-projector.js';
export type { ProjectorState, ProjectorStatus, RebuildProgress } from './status.js';
