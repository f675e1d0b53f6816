import type { InfrastructureEvent } from '@cim/contract';

/** Where the CLI writes: results on `out`, progress and errors on `err`. */
export interface Output {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export const stdio: Output = { out: process.stdout, err: process.stderr };

/** Writes `value` as one line of JSON. */
export const printJson = (output: Output, value: unknown): void => {
  output.out.write(`${JSON.stringify(value)}\n`);
};

/** Aligned columns with a header row; the last column is not padded. */
export function table(rows: readonly (readonly string[])[], header: readonly string[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const fields = (entries: Record<string, unknown>): string =>
  Object.entries(entries)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');

/** A short description of what an event says, for one-line and table output. */
export function summarize(event: InfrastructureEvent): string {
  switch (event.event_type) {
    case 'ComputeRegistered': {
      const p = event.payload;
      return fields({
        hostname: p.hostname,
        type: p.resource_type,
        interfaces: p.interfaces.map((i) => i.name),
      });
    }
    case 'ComputeUpdated':
    case 'ComputeMeasured':
    case 'NetworkUpdated':
      return fields(
        Object.fromEntries(
          Object.entries(event.payload).map(([k, v]) => [
            k,
            typeof v === 'object' && v !== null ? JSON.stringify(v) : v,
          ]),
        ),
      );
    case 'NetworkDefined': {
      const p = event.payload;
      return fields({ name: p.name, cidr: p.cidr, vlan: p.vlan_id, gateway: p.gateway });
    }
    case 'ConnectionEstablished': {
      const { a, b } = event.payload;
      return `${a.resource_id}:${a.interface} <-> ${b.resource_id}:${b.interface}`;
    }
    case 'SoftwareConfigured': {
      const p = event.payload;
      return fields({ name: p.name, version: p.version, resource: p.resource_id, ports: p.ports });
    }
    case 'PolicySet': {
      const p = event.payload;
      return fields({ name: p.name, kind: p.kind, targets: p.target_ids.length });
    }
    case 'ComputeDecommissioned':
    case 'NetworkRemoved':
    case 'ConnectionSevered':
    case 'SoftwareRemoved':
    case 'PolicyRemoved':
      return fields({ reason: event.payload.reason });
  }
}

/** `ComputeRegistered compute 0190… v1  hostname=web-01 …`: one line per event. */
export const eventLine = (event: InfrastructureEvent): string =>
  `${event.event_type} ${event.aggregate_type} ${event.aggregate_id} v${event.aggregate_version}  ${summarize(event)}`;
