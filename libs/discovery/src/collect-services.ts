import { readFile, readlink } from 'node:fs/promises';
import type { Systeminformation } from 'systeminformation';
import type { ListeningService } from './facts.js';
import { runCommand } from './run-command.js';

/** Linux's default `net.ipv4.ip_local_port_range`, used when the file cannot be read. */
export const DEFAULT_EPHEMERAL_PORTS: readonly [number, number] = [32768, 60999];

async function ephemeralRange(): Promise<readonly [number, number]> {
  try {
    const [low, high] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'))
      .trim()
      .split(/\s+/)
      .map(Number);
    return low && high ? [low, high] : DEFAULT_EPHEMERAL_PORTS;
  } catch {
    return DEFAULT_EPHEMERAL_PORTS;
  }
}

const PROTOCOLS = new Set<string>(['tcp', 'tcp6', 'udp', 'udp6']);

/**
 * Listening sockets from `si.networkConnections()` (state LISTEN), each with the executable of its
 * process and, when `dpkg` is given, the Debian package that owns that executable. For interpreted
 * services (node, python, beam.smp) that package is the runtime, not the application: the
 * executable is all the kernel tells.
 */
export async function collectServices(
  connections: readonly Systeminformation.NetworkConnectionsData[],
  options: { dpkg: boolean; timeoutMs?: number },
): Promise<ListeningService[]> {
  const [low, high] = await ephemeralRange();
  const seen = new Set<string>();
  const services: ListeningService[] = [];
  for (const c of connections) {
    const port = Number(c.localPort);
    if (c.state !== 'LISTEN' || !PROTOCOLS.has(c.protocol) || !Number.isInteger(port) || port < 1) continue;
    const key = `${c.protocol}/${c.localAddress}/${port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    services.push({
      protocol: c.protocol as ListeningService['protocol'],
      address: c.localAddress,
      port,
      ...(typeof c.pid === 'number' && c.pid > 0 && { pid: c.pid }),
      ...(c.process !== '' && { process: c.process }),
      ephemeral: port >= low && port <= high,
    });
  }
  const executables = new Map<number, string>();
  for (const pid of new Set(services.flatMap((s) => (s.pid === undefined ? [] : [s.pid])))) {
    // readlink of /proc/<pid>/exe needs the same user or root; without it the package stays unknown.
    const exe = await readlink(`/proc/${pid}/exe`).catch(() => undefined);
    if (exe) executables.set(pid, exe.replace(/ \(deleted\)$/, ''));
  }
  const owners = options.dpkg
    ? await dpkgOwners([...new Set(executables.values())], options.timeoutMs)
    : new Map();
  for (const s of services) {
    const executable = s.pid === undefined ? undefined : executables.get(s.pid);
    if (executable === undefined) continue;
    s.executable = executable;
    const name = owners.get(executable);
    if (name !== undefined) s.package = { manager: 'dpkg', name };
  }
  return services.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

/**
 * Executable path → owning package, in one `dpkg-query -S` call. On merged-/usr systems dpkg's
 * database may record `/bin/x` where the kernel reports `/usr/bin/x`, so both spellings are asked.
 */
async function dpkgOwners(paths: readonly string[], timeoutMs?: number): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  if (paths.length === 0) return owners;
  const alias = new Map<string, string>();
  for (const p of paths) {
    alias.set(p, p);
    if (p.startsWith('/usr/')) alias.set(p.slice(4), p);
  }
  const out = await runCommand('dpkg-query', ['-S', ...alias.keys()], timeoutMs).catch(() => undefined);
  for (const line of out?.stdout.split('\n') ?? []) {
    const at = line.lastIndexOf(': ');
    if (at < 0 || line.startsWith('diversion ')) continue;
    const path = alias.get(line.slice(at + 2).trim());
    const first = line.slice(0, at).split(',')[0]?.trim().split(':')[0];
    if (path !== undefined && first && !owners.has(path)) owners.set(path, first);
  }
  return owners;
}
