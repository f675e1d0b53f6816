// Public API of @cim/sql-projector: the adapter (for the process and tests), the read model and
// its reports (for `cim report <name>` and `cim topology --mermaid`).
export { CHECKPOINT_TABLE } from './checkpoint-table.js';
export { CONNECT_TIMEOUT_MS, type DatabaseTarget, type OpenDatabase, openDatabase } from './database.js';
export type { Effect } from './effects.js';
export { parseSqlProjectorEnv, type SqlProjectorEnv, sqlProjectorEnvSchema } from './env.js';
export {
  classifyStoreError,
  isSqlProjectorError,
  SqlProjectorError,
  type SqlProjectorErrorCode,
} from './errors.js';
export { createSqlProjectorMetrics, type SqlProjectorMetrics } from './metrics.js';
export { migrateToLatest, migrationProvider } from './migrations/index.js';
export { initialModelState, type ModelState, sqlProjection } from './model.js';
export {
  openReadModel,
  type ReadModel,
  type ReadModelOptions,
  type ReadModelSource,
  readModelOf,
} from './read-model.js';
export { DEFAULT_SQL_QUERY_PREFIX, serveReports } from './report-responder.js';
export {
  isReportName,
  REPORT_DESCRIPTIONS,
  REPORTS,
  type ReportName,
  type ReportParams,
  type ReportQuery,
  type ReportRow,
  resourceHistory,
  runReport,
} from './reports.js';
export type { Database } from './schema.js';
export { retiredSchemaOf, shadowSchemaOf } from './schema-swap.js';
export {
  DEFAULT_PROJECTOR_NAME,
  DEFAULT_SCHEMA,
  type SqlAdapterOptions,
  SqlProjectionAdapter,
  type SqlTx,
} from './sql-adapter.js';
export { type TopologyOptions, topologyMermaid } from './topology.js';
