import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Registry } from 'prom-client';
import type { ProjectionAdapter } from './adapter.js';
import { serveAdmin } from './admin-server.js';
import { startHttpServer } from './http-server.js';
import type { Logger } from './logger.js';
import { Projector } from './projector.js';
import type { ProjectorEnv } from './projector-env.js';

export interface RunningProjector {
  projector: Projector;
  nc: NatsConnection;
  /** Base URL of /metrics, /healthz and /readyz. */
  url: string;
  /** Finishes the batch in hand, acknowledges it, drains NATS and closes the HTTP server. */
  stop(): Promise<void>;
}

/**
 * Everything a projector process does besides its adapter: connect to NATS, start the projector,
 * answer admin subjects, serve metrics and health, and stop cleanly on SIGTERM/SIGINT when
 * `handleSignals` is set (exit code 0).
 */
export const runProjector = async (options: {
  adapter: ProjectionAdapter<never> | ProjectionAdapter<unknown>;
  env: ProjectorEnv;
  registry: Registry;
  logger: Logger;
  handleSignals?: boolean;
}): Promise<RunningProjector> => {
  const { env, logger } = options;
  const nc = await connect({
    servers: env.NATS_URL,
    name: options.adapter.name,
    noAsyncTraces: true,
    maxReconnectAttempts: -1,
  }).catch((e: unknown) => {
    throw new Error(`cannot reach NATS at ${env.NATS_URL}: ${(e as Error).message}`, { cause: e });
  });
  const projector = await Projector.start({
    adapter: options.adapter,
    nc,
    stream: env.EVENT_STREAM,
    subjectRoot: env.SUBJECT_ROOT,
    maxBatch: env.MAX_BATCH,
    haltOnPoison: env.HALT_ON_POISON,
    dlq: { stream: env.DLQ_STREAM, prefix: env.DLQ_PREFIX },
    registry: options.registry,
    logger,
  });
  const admin = serveAdmin(nc, projector, { prefix: env.ADMIN_PREFIX, logger });
  const http = await startHttpServer({
    registry: options.registry,
    sources: [projector],
    port: env.METRICS_PORT,
    host: env.METRICS_HOST,
  });
  logger.info({ metrics: `${http.url}/metrics`, stream: env.EVENT_STREAM }, 'projector running');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      admin.stop();
      await projector.stop();
      await http.close();
      await nc.drain().catch(() => {});
      logger.info({}, 'projector stopped');
    })();
    return stopping;
  };
  if (options.handleSignals) {
    const onSignal = (signal: string) => {
      logger.info({ signal }, 'stopping');
      stop().then(
        () => process.exit(0),
        (e: unknown) => {
          logger.error({ err: e }, 'unclean stop');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  }
  return { projector, nc, url: http.url, stop };
};
