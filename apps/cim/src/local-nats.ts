import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { CliError } from './errors.js';

const NATS_BINARY = '/usr/sbin/nats-server';

/** The NATS server `cim up` uses; `stop` ends it only when this process started it. */
export interface LocalNats {
  started: boolean;
  stop(): Promise<void>;
}

const reachable = async (url: string): Promise<boolean> => {
  try {
    const nc = await connect({ servers: url, reconnect: false, timeout: 1_000 });
    await nc.close();
    return true;
  } catch {
    return false;
  }
};

/**
 * Makes sure NATS with JetStream answers at `url`. When it does not, the URL is local and Debian's
 * nats-server is installed, starts one with its data under `dataDir`; otherwise says how to get one.
 */
export const ensureLocalNats = async (
  url: string,
  dataDir: string,
  log: (line: string) => void,
): Promise<LocalNats> => {
  if (await reachable(url)) return { started: false, stop: async () => {} };
  const { hostname, port } = new URL(url);
  const local = hostname === '127.0.0.1' || hostname === 'localhost';
  if (!local || !existsSync(NATS_BINARY)) {
    throw new CliError(
      'UNAVAILABLE',
      `no NATS server answers at ${url}. Install one with \`apt-get install nats-server\` and start it with ` +
        `\`nats-server -js -a 127.0.0.1 -p 4222 -sd /var/lib/nats-server\`, or set NATS_URL`,
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const logFd = openSync(join(dataDir, 'nats-server.log'), 'a');
  log(`starting nats-server with JetStream on ${hostname}:${port || 4222} (data in ${dataDir})`);
  const child = spawn(NATS_BINARY, ['-js', '-a', '127.0.0.1', '-p', port || '4222', '-sd', dataDir], {
    stdio: ['ignore', logFd, logFd],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 50; i++) {
    if (await reachable(url)) {
      return {
        started: true,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new CliError('UNAVAILABLE', `nats-server did not start; see ${join(dataDir, 'nats-server.log')}`);
};
