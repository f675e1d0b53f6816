// Public API of @cim/conceptual-space-projector: what the CLI (`cim space …`) and other tools use.
export { type ConceptConfig, DEFAULT_CONCEPTS } from './concepts.js';
export { DEFAULT_DOMAINS, type DomainConfig, QUALITIES, type QualityKey } from './domains.js';
export { DEFAULT_DATABASE_URL } from './env.js';
export { isSpaceError, SpaceError, type SpaceErrorCode } from './errors.js';
export { type EvaluationOptions, type EvaluationReport, evaluate } from './evaluation.js';
export { formatEvaluation } from './evaluation-format.js';
export { fleetSpace } from './fleet-space.js';
export { type InstanceType, loadInstanceTypes } from './instance-types.js';
export { type PlotOptions, renderSpaceSvg } from './plot.js';
export { type QueryClientOptions, querySpace } from './query-client.js';
export {
  DEFAULT_QUERY_PREFIX,
  QUERY_ERROR_CODES,
  QUERY_KINDS,
  type QueryErrorCode,
  type QueryKind,
  type QueryReply,
  type QueryRequest,
  type QueryResults,
  querySubject,
} from './query-protocol.js';
export { DEFAULT_ADAPTER_NAME, SpaceAdapter, type SpaceAdapterOptions } from './space-adapter.js';
export {
  loadSpaceConfig,
  resolveSpaceConfig,
  type SpaceConfig,
  type SpaceConfigInput,
} from './space-config.js';
export { SpaceReader, type SpaceReaderOptions } from './space-reader.js';
export { SpaceView } from './space-view.js';
