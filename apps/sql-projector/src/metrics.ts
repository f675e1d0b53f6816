import { Counter, Histogram, type Registry } from 'prom-client';

/** Metrics of the SQL projector beyond the kit's shared projector metrics. */
export interface SqlProjectorMetrics {
  /** Rows written after compaction; compare with the kit's events applied to see the fold's gain. */
  readonly rowsWritten: Counter<'projector'>;
  /**
   * Time per batch in the pure fold (of a batch folded on arrival: only planning its statements)
   * and in the set-based writes (with the commit).
   */
  readonly phaseSeconds: Histogram<'projector' | 'phase'>;
}

/** Registers the SQL projector's metrics on the app's registry. */
export const createSqlProjectorMetrics = (registry: Registry): SqlProjectorMetrics => ({
  rowsWritten: new Counter({
    name: 'cim_sql_projector_rows_written_total',
    help: 'Rows written to PostgreSQL after folding each batch in memory',
    labelNames: ['projector'],
    registers: [registry],
  }),
  phaseSeconds: new Histogram({
    name: 'cim_sql_projector_batch_phase_seconds',
    help: 'Seconds per batch spent folding events and planning the writes (fold; planning only for a batch folded on arrival) and writing rows set-based, commit included (write)',
    labelNames: ['projector', 'phase'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  }),
});
