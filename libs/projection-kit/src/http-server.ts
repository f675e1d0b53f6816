import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** What the health endpoints ask of a running projector (or anything shaped like one). */
export interface HealthSource {
  alive(): boolean;
  ready(): boolean;
  status(): Promise<unknown>;
}

export interface HttpServerOptions {
  registry: Registry;
  sources: readonly HealthSource[];
  /** @default 0 (any free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
}

/** Serves `/metrics` (Prometheus text), `/healthz` (alive and connected) and `/readyz` (caught up or progressing). */
export const startHttpServer = async (
  options: HttpServerOptions,
): Promise<{ url: string; port: number; close(): Promise<void> }> => {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (code: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(code, { 'content-type': type });
      res.end(body);
    };
    if (path === '/metrics') {
      options.registry
        .metrics()
        .then((text) => send(200, text, options.registry.contentType))
        .catch((e: unknown) => send(500, String(e)));
    } else if (path === '/healthz') {
      const ok = options.sources.every((s) => s.alive());
      send(ok ? 200 : 503, ok ? 'ok\n' : 'not connected\n');
    } else if (path === '/readyz') {
      Promise.all(options.sources.map((s) => s.status()))
        .then((statuses) => {
          const ok = options.sources.every((s) => s.ready());
          send(ok ? 200 : 503, `${JSON.stringify(statuses)}\n`, 'application/json');
        })
        .catch((e: unknown) => send(503, String(e)));
    } else {
      send(404, 'not found: try /metrics, /healthz or /readyz\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
