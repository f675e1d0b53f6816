// Public API of @cim/metrics-projector: the adapter, its series and the history backfill.
export { applyChange } from './apply-change.js';
export {
  BACKFILL_FILE_NAME,
  type BackfillOptions,
  type BackfillResult,
  backfillOpenMetrics,
} from './backfill-openmetrics.js';
export { type MetricsEnv, metricsEnvSchema } from './env.js';
export { FLEET_QUANTILES, nearestRank } from './fleet-statistics.js';
export { Journal } from './journal.js';
export { DEFAULT_SNAPSHOT_BUCKET, type KvSnapshotOptions, KvSnapshotStore } from './kv-snapshot-store.js';
export { DEFAULT_LAG_REFRESH_MS, type LagSource, refreshLag } from './lag-refresh.js';
export { FAMILIES, FAMILY_KEYS, type FamilyKey, type FamilySpec } from './metric-families.js';
export { registerModelMetrics, type SeriesSource } from './metrics.js';
export {
  DEFAULT_MAX_RESOURCE_SERIES,
  DEFAULT_PROJECTOR_NAME,
  MetricsAdapter,
  type MetricsAdapterOptions,
  type MetricsTx,
  type ModelSnapshotStore,
  type SavedSnapshot,
} from './metrics-adapter.js';
export { changesOf, type ModelChange, metricsProjection } from './model.js';
export { decodeModel, encodeModel, MODEL_CODEC_VERSION } from './model-codec.js';
export {
  type ConnectionStatus,
  emptyModel,
  type MetricsModel,
  type PolicyKind,
  type Qualities,
  type ResourceRow,
  type ResourceStatus,
} from './model-state.js';
export { OpenMetricsRecorder } from './openmetrics-recorder.js';
export { parseStep } from './parse-step.js';
export {
  ANOMALY_THRESHOLDS,
  type ModelSeries,
  modelSeries,
  type Sample,
  type SeriesOptions,
} from './series.js';
export { type Snapshotting, scheduleSnapshots } from './snapshot-schedule.js';
