// Public API of @cim/discovery: the CIM discovers its own state. Facts about this machine → planned
// commands (diffed against the event stream) → the command service → events → projections.
export { type CollectFactsOptions, collectFacts, DEFAULT_SOFTWARE_MANAGERS } from './collect-facts.js';
export { DEFAULT_SKIPPED_INTERFACES, type InterfaceOptions, maskToPrefix } from './collect-interfaces.js';
export { DEFAULT_SAMPLE_MS } from './collect-utilization.js';
export {
  type CommandRequester,
  DEFAULT_REQUEST_RETRIES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type DiscoveryReply,
  type SendCommandOptions,
  sendCommand,
} from './command-client.js';
export { type LoadCurrentStateOptions, loadCurrentState } from './current-state.js';
export { decidePlatform, type PlatformMarkers } from './detect-platform.js';
export {
  type CommandOutcome,
  DEFAULT_DISCOVER_CONCURRENCY,
  type DiscoverOptions,
  type DiscoveryReport,
  discover,
} from './discover.js';
export {
  DISCOVERY_ERROR_CODES,
  DiscoveryError,
  type DiscoveryErrorCode,
  isDiscoveryError,
} from './errors.js';
export type {
  CpuFacts,
  DiscoveredResourceType,
  Facts,
  InstalledSoftware,
  InterfaceFacts,
  ListeningService,
  OsFacts,
  PlatformFacts,
  SoftwareManager,
  SoftwareManagerFacts,
  StorageFacts,
  UtilizationFacts,
} from './facts.js';
export { formatPlan, planTarget } from './format-plan.js';
export { type PlanOptions, planCommands } from './plan-commands.js';
export { osDescription } from './plan-compute.js';
export { networkOf } from './plan-networks.js';
export {
  DISCOVERED_BY,
  PENDING_RESOURCE_ID,
  type PlannedCommand,
  type PlannedCommandOf,
} from './planned-command.js';
export { DEFAULT_SOFTWARE_ALLOWLIST, type SoftwareMode } from './select-software.js';
export { type CurrentState, type KnownResource, type KnownSoftware, StateFold } from './state-fold.js';
export {
  DEFAULT_WATCH_INTERVAL_MS,
  type DiscoveryWatch,
  type WatchDiscoveryOptions,
  watchDiscovery,
} from './watch.js';
