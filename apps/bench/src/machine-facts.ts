import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import type { NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';

export interface MachineFacts {
  date: string;
  cpu: string;
  cores: number;
  memory_gib: number;
  node: string;
  nats_server: string;
  postgresql: string;
}

/** What the figures were measured on. */
export const machineFacts = async (nc: NatsConnection, databaseUrl: string): Promise<MachineFacts> => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  await client.end();
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu =
      execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]).toString().trim() ||
      cpu;
  } catch {
    // keep os.cpus() model
  }
  return {
    date: new Date().toISOString(),
    cpu,
    cores: cpus().length,
    memory_gib: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    nats_server: nc.info?.version ?? 'unknown',
    postgresql: rows[0]?.server_version ?? 'unknown',
  };
};
