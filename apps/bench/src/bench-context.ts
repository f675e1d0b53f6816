import type { EventStore } from '@cim/event-store';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ProgressTracker } from './progress-tracker.js';
import type { Launch } from './projector-process.js';

/** How one projector app is run by the benchmark. */
export interface ProjectorSpec {
  /** Folder under apps/. */
  app: string;
  /** Gets a fresh PostgreSQL database per run (DATABASE_URL). */
  needsDatabase: boolean;
}

/** Everything the stages share: the isolated stream, its admin prefix, where logs go. */
export interface BenchContext {
  root: string;
  nc: NatsConnection;
  store: EventStore;
  tracker: ProgressTracker;
  /** Environment every projector process of this run gets. */
  env: Record<string, string>;
  /** How every app process of the run starts. */
  launch: Launch;
  logDir: string;
  log(line: string): void;
}

export const PROJECTORS: readonly ProjectorSpec[] = [
  { app: 'sql-projector', needsDatabase: true },
  { app: 'metrics-projector', needsDatabase: false },
  { app: 'conceptual-space-projector', needsDatabase: true },
];
