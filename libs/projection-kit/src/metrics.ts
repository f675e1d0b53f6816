import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ProjectorState } from './status.js';

/** The metrics every projector exposes, under shared names labelled by `projector`. */
export interface ProjectorMetrics {
  eventsApplied: Counter<'projector'>;
  batches: Histogram<'projector'>;
  lagEvents: Gauge<'projector'>;
  lagSeconds: Gauge<'projector'>;
  checkpoint: Gauge<'projector'>;
  deadLettered: Counter<'projector'>;
  rebuildProgress: Gauge<'projector'>;
  state: Gauge<'projector' | 'state'>;
  storeHealthy: Gauge<'projector'>;
  prefoldedBatches: Counter<'projector' | 'outcome'>;
}

const STATES: ProjectorState[] = ['starting', 'running', 'paused', 'rebuilding', 'halted', 'stopped'];

/** Registers the shared projector metrics on the app's registry (once per registry). */
export const createProjectorMetrics = (registry: Registry): ProjectorMetrics => {
  const existing = registry.getSingleMetric('cim_projector_events_applied_total');
  if (existing) return metricsByRegistry.get(registry)!;
  const registers = [registry];
  const metrics: ProjectorMetrics = {
    eventsApplied: new Counter({
      name: 'cim_projector_events_applied_total',
      help: 'Events applied to the read model',
      labelNames: ['projector'],
      registers,
    }),
    batches: new Histogram({
      name: 'cim_projector_batch_duration_seconds',
      help: 'Time to apply and commit one batch',
      labelNames: ['projector'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    lagEvents: new Gauge({
      name: 'cim_projector_lag_events',
      help: 'Events in the stream not yet applied',
      labelNames: ['projector'],
      registers,
    }),
    lagSeconds: new Gauge({
      name: 'cim_projector_lag_seconds',
      help: 'Age of the newest stream event minus age of the last applied one',
      labelNames: ['projector'],
      registers,
    }),
    checkpoint: new Gauge({
      name: 'cim_projector_checkpoint_sequence',
      help: 'Stream sequence of the last applied event',
      labelNames: ['projector'],
      registers,
    }),
    deadLettered: new Counter({
      name: 'cim_projector_dlq_total',
      help: 'Poison events sent to the dead-letter queue',
      labelNames: ['projector'],
      registers,
    }),
    rebuildProgress: new Gauge({
      name: 'cim_projector_rebuild_progress_ratio',
      help: 'Progress of the running rebuild, 0..1 (1 when none runs)',
      labelNames: ['projector'],
      registers,
    }),
    state: new Gauge({
      name: 'cim_projector_state',
      help: '1 for the current state of the projector',
      labelNames: ['projector', 'state'],
      registers,
    }),
    storeHealthy: new Gauge({
      name: 'cim_projector_store_healthy',
      help: '1 when the store answers, 0 while it is degraded',
      labelNames: ['projector'],
      registers,
    }),
    prefoldedBatches: new Counter({
      name: 'cim_projector_prefolded_batches_total',
      help: 'Batches folded on arrival, by outcome: written with their fold, or decoded and projected again',
      labelNames: ['projector', 'outcome'],
      registers,
    }),
  };
  metricsByRegistry.set(registry, metrics);
  return metrics;
};

const metricsByRegistry = new WeakMap<Registry, ProjectorMetrics>();

export const setStateMetric = (metrics: ProjectorMetrics, projector: string, state: ProjectorState): void => {
  for (const s of STATES) metrics.state.set({ projector, state: s }, s === state ? 1 : 0);
};
