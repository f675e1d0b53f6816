import type { ResourceTypeName } from '@cim/contract';
import {
  type ConnectionStatus,
  emptyModel,
  type MetricsModel,
  type PolicyKind,
  type ResourceStatus,
} from './model-state.js';

/** Bumped when the encoding changes; a snapshot of another version is ignored (replay instead). */
export const MODEL_CODEC_VERSION = 1;

type Num = number | null;
type ResourceTuple = [string, string, ResourceTypeName, ResourceStatus, number, Num, Num, Num, Num, Num, Num];

interface Encoded {
  v: number;
  sequence: number;
  resources: ResourceTuple[];
  decommissioned: [string, number][];
  networks: string[];
  connections: [string, ConnectionStatus][];
  software: [string, string][];
  policies: [string, PolicyKind][];
  events: [string, number][];
}

// JSON has no NaN: "never reported" travels as null.
const out = (v: number): Num => (Number.isNaN(v) ? null : v);
const back = (v: Num): number => (v === null ? Number.NaN : v);

/**
 * The model as compact JSON (tuples, not objects: ~35 MB for 120k resources). Synchronous, so the
 * text is one consistent state even while batches keep arriving.
 */
export const encodeModel = (model: MetricsModel): string => {
  const resources: ResourceTuple[] = [];
  model.resources.forEach((r, id) => {
    const q = r.qualities;
    resources.push([
      id,
      r.hostname,
      r.type,
      r.status,
      r.registeredAt,
      out(q.cpu),
      out(q.memory),
      out(q.disk),
      out(q.errorRate),
      out(q.latencySeconds),
      out(q.uptimeSeconds),
    ]);
  });
  const encoded: Encoded = {
    v: MODEL_CODEC_VERSION,
    sequence: model.sequence,
    resources,
    decommissioned: [...model.decommissioned],
    networks: [...model.networks.keys()],
    connections: [...model.connections],
    software: [...model.software],
    policies: [...model.policies],
    events: [...model.events],
  };
  return JSON.stringify(encoded);
};

/** The model encoded by {@link encodeModel}; undefined for another codec version. */
export const decodeModel = (text: string): MetricsModel | undefined => {
  const e = JSON.parse(text) as Encoded;
  if (e.v !== MODEL_CODEC_VERSION) return undefined;
  const model = emptyModel();
  for (const [
    id,
    hostname,
    type,
    status,
    registeredAt,
    cpu,
    memory,
    disk,
    err,
    latency,
    uptime,
  ] of e.resources) {
    model.resources.set(id, {
      hostname,
      type,
      status,
      registeredAt,
      qualities: {
        cpu: back(cpu),
        memory: back(memory),
        disk: back(disk),
        errorRate: back(err),
        latencySeconds: back(latency),
        uptimeSeconds: back(uptime),
      },
    });
  }
  for (const [k, v] of e.decommissioned) model.decommissioned.set(k, v);
  for (const id of e.networks) model.networks.set(id, true);
  for (const [k, v] of e.connections) model.connections.set(k, v);
  for (const [k, v] of e.software) model.software.set(k, v);
  for (const [k, v] of e.policies) model.policies.set(k, v);
  for (const [k, v] of e.events) model.events.set(k, v);
  model.sequence = e.sequence;
  return model;
};
