import { type FleetOptions, generateFleet } from '@cim/fleet-generator';
import { foldBatch, type StreamEvent } from '@cim/projection-kit';
import { beginBatch, commitBatch, emptyModel, type SpaceModel, spaceProjection } from './model.js';
import { resolveSpaceConfig, type SpaceConfig } from './space-config.js';
import { SpaceView, snapshotOfModel } from './space-view.js';

/** The events of a generated fleet as the kit would hand them over (sequence = position + 1). */
export function* fleetStream(options: FleetOptions): Generator<StreamEvent> {
  let sequence = 0;
  for (const event of generateFleet(options))
    yield {
      sequence: ++sequence,
      subject: `infrastructure.${event.aggregate_type}`,
      timestamp: new Date(event.occurred_at),
      event,
    };
}

/** Folds a stream in memory, batch by batch, exactly as the adapter does (without a store). */
export const foldStream = (
  config: SpaceConfig,
  stream: Iterable<StreamEvent>,
  batchSize = 2_000,
): { model: SpaceModel; checkpoint: number } => {
  const projection = spaceProjection(config);
  let model = emptyModel(config);
  let batch: StreamEvent[] = [];
  let checkpoint = 0;
  const flush = () => {
    const working = beginBatch(model);
    foldBatch(projection, working, batch);
    model = commitBatch(working);
    batch = [];
  };
  for (const item of stream) {
    batch.push(item);
    checkpoint = item.sequence;
    if (batch.length >= batchSize) flush();
  }
  if (batch.length > 0) flush();
  return { model, checkpoint };
};

/** The space of a generated fleet, folded in memory: for plots, evaluation and tests. */
export const fleetSpace = (options: FleetOptions, config: SpaceConfig = resolveSpaceConfig()): SpaceView => {
  const { model, checkpoint } = foldStream(config, fleetStream(options));
  return new SpaceView(snapshotOfModel(config, model, checkpoint));
};
