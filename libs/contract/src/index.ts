export {
  AGGREGATE_TYPES,
  type AggregateType,
  EVENT_CATALOG,
  EVENT_TYPES,
  type EventCatalog,
  type EventType,
  eventTypeForTokens,
  isEventType,
  type PayloadInputOf,
  type PayloadOf,
} from './catalog.js';
export {
  createEvent,
  type DecodeFailureCode,
  type DecodeResult,
  decodeEvent,
  encodeEvent,
  formatIssues,
  type NewEventInput,
} from './codec.js';
export {
  COMMAND_ERROR_CODES,
  COMMAND_NAMES,
  COMMANDS,
  type CommandErrorCode,
  type CommandName,
  type CommandPayload,
  type CommandPayloadInput,
  type CommandRejection,
  type CommandReply,
  CommandRequest,
  commandSubject,
  DEFAULT_COMMAND_PREFIX,
  isCommandName,
} from './commands.js';
export { EnvelopeSchema, type EventOf, type InfrastructureEvent } from './envelope.js';
export { ContractError, type ContractErrorCode, isContractError } from './errors.js';
export { causedBy, type MessageIdentity, newRootCommand, rootIdentity } from './identity.js';
export { isUuidV7, newId } from './ids.js';
export type { NetworkInterface } from './payloads.js';
export * as payloads from './payloads.js';
export {
  canonicalResourceType,
  categoryOf,
  RESOURCE_CATEGORIES,
  RESOURCE_TAXONOMY,
  RESOURCE_TYPE_ALIASES,
  RESOURCE_TYPES,
  type ResourceCategory,
  ResourceType,
  type ResourceTypeName,
} from './resource-types.js';
export { allEventsSubject, DEFAULT_SUBJECT_ROOT, EVENT_HEADERS, subjectFor } from './subjects.js';
export {
  UPCASTERS,
  type Upcaster,
  type UpcasterRegistry,
  type UpcastResult,
  upcastPayload,
} from './upcasters.js';
export {
  Capacity,
  Cidr,
  cidrContains,
  cidrSize,
  Hostname,
  IpWithPrefix,
  MacAddress,
  normalizeMac,
  Port,
  parseCidr,
  Ratio,
  VlanId,
} from './value-objects.js';
