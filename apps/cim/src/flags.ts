import { InvalidArgumentError } from 'commander';

/** Option parsers: each turns one flag value into payload data or throws commander's InvalidArgumentError. */

/** A finite number, e.g. `--cpu 8`, `--cpu-util 0.4`. */
export const number = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('not a number.');
  return n;
};

/** Collects a repeatable flag: `--port 80 --port 443`. */
export const collect =
  <T>(parse: (value: string) => T) =>
  (value: string, previous: T[] | undefined): T[] => [...(previous ?? []), parse(value)];

/** `key=value` pairs separated by commas; a key may repeat (`ip=…,ip=…`). */
export function keyValues(spec: string): Array<[string, string]> {
  return spec.split(',').map((part) => {
    const at = part.indexOf('=');
    if (at <= 0) throw new InvalidArgumentError(`expected key=value, got '${part}'.`);
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
  });
}

/** `--label env=prod` / `--config workers=4`: one `key=value`, values kept as strings. */
export const pair = (spec: string): [string, string] => {
  const at = spec.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected key=value, got '${spec}'.`);
  return [spec.slice(0, at).trim(), spec.slice(at + 1)];
};

/** An interface from `name=eth0,mac=aa:bb:…,ip=10.0.0.5/24,ip=…,kind=ethernet,speed=1000`. */
export interface InterfaceFlag {
  name?: string;
  mac?: string;
  ips: string[];
  kind?: string;
  speed_mbps?: number;
}

const INTERFACE_KEYS = ['name', 'mac', 'ip', 'kind', 'speed'];

export const interfaceSpec = (spec: string): InterfaceFlag => {
  const iface: InterfaceFlag = { ips: [] };
  for (const [key, value] of keyValues(spec)) {
    if (key === 'name') iface.name = value;
    else if (key === 'mac') iface.mac = value;
    else if (key === 'ip') iface.ips.push(value);
    else if (key === 'kind') iface.kind = value;
    else if (key === 'speed') iface.speed_mbps = number(value);
    else
      throw new InvalidArgumentError(`unknown interface key '${key}' (known: ${INTERFACE_KEYS.join(', ')}).`);
  }
  if (iface.name === undefined) throw new InvalidArgumentError(`an interface needs name=… (got '${spec}').`);
  return iface;
};

/** `<resource-id>:<interface>`, e.g. `0190…:eth0`; the interface may itself contain colons. */
export const endpoint = (spec: string): { resource_id: string; interface: string } => {
  const at = spec.indexOf(':');
  if (at <= 0 || at === spec.length - 1)
    throw new InvalidArgumentError(`expected <resource-id>:<interface>, got '${spec}'.`);
  return { resource_id: spec.slice(0, at), interface: spec.slice(at + 1) };
};

/** Drops undefined values so optional flags that were not given are absent from the payload. */
export const defined = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID, e.g. `--command-id`. */
export const uuid = (value: string): string => {
  if (!UUID.test(value)) throw new InvalidArgumentError('not a UUID.');
  return value.toLowerCase();
};
