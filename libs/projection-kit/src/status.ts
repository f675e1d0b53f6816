/** Lifecycle state of a projector. */
export type ProjectorState = 'starting' | 'running' | 'paused' | 'rebuilding' | 'halted' | 'stopped';

export interface RebuildProgress {
  started_at: string;
  /** Stream sequence the rebuild must reach before it counts as caught up. */
  target_sequence: number;
  done: number;
  total: number;
  rate_per_second: number;
  eta_seconds: number | null;
  shadow: boolean;
}

/** What `cim.admin.projector.{name}.status` answers. */
export interface ProjectorStatus {
  name: string;
  state: ProjectorState;
  health: 'ok' | 'degraded';
  checkpoint: number;
  stream_last_sequence: number;
  lag_events: number;
  lag_seconds: number;
  rate_per_second: number;
  events_applied: number;
  dead_lettered: number;
  rebuild: RebuildProgress | null;
  last_error: { message: string; at: string } | null;
  started_at: string;
}

/** Events per second as an exponentially weighted moving average over ~5 s. */
export class RateMeter {
  private rate = 0;
  private last = performance.now();

  mark(count: number): void {
    const now = performance.now();
    const dt = Math.max((now - this.last) / 1000, 1e-3);
    this.last = now;
    const alpha = 1 - Math.exp(-dt / 5);
    this.rate += alpha * (count / dt - this.rate);
  }

  /** Current rate, decayed towards zero while nothing arrives. */
  value(): number {
    const idle = (performance.now() - this.last) / 1000;
    return idle > 1 ? this.rate * Math.exp(-(idle - 1) / 5) : this.rate;
  }
}
