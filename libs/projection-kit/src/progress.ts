import type { RebuildProgress } from './status.js';

/** Tracks a rebuild: done / total, rate and ETA. */
export class ProgressTracker {
  private readonly started = Date.now();
  private done = 0;

  constructor(
    readonly target: number,
    readonly shadow: boolean,
    private readonly from: number = 0,
  ) {}

  update(checkpoint: number): void {
    this.done = Math.min(Math.max(0, checkpoint - this.from), this.total());
  }

  total(): number {
    return Math.max(0, this.target - this.from);
  }

  ratio(): number {
    const total = this.total();
    return total === 0 ? 1 : this.done / total;
  }

  elapsedSeconds(): number {
    return (Date.now() - this.started) / 1000;
  }

  snapshot(): RebuildProgress {
    const elapsed = this.elapsedSeconds();
    const rate = elapsed > 0 ? this.done / elapsed : 0;
    const left = this.total() - this.done;
    return {
      started_at: new Date(this.started).toISOString(),
      target_sequence: this.target,
      done: this.done,
      total: this.total(),
      rate_per_second: Math.round(rate),
      eta_seconds: rate > 0 ? Math.round(left / rate) : null,
      shadow: this.shadow,
    };
  }
}
