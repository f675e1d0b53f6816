import type { Facts, InstalledSoftware, SoftwareManager } from './facts.js';
import { DISCOVERED_BY } from './planned-command.js';
import type { KnownSoftware } from './state-fold.js';

/**
 * Which installed software becomes software aggregates. `services` (default): packages owning an
 * executable that listens on a non-ephemeral port, plus the allowlist, plus whatever discovery already
 * tracks (so its upgrades and removal are still seen). A Debian machine has 500–3000 packages; as
 * aggregates they would bury the services in every read model, so `all` is opt-in (`--all-software`).
 */
export type SoftwareMode = 'services' | 'all';

/**
 * Patterns of software always tracked in `services` mode: `name`, or `manager:name`, where `*`
 * matches any run of characters. Global npm packages are few and installed on purpose, so all count.
 */
export const DEFAULT_SOFTWARE_ALLOWLIST: readonly string[] = [
  'npm:*',
  'openssh-server',
  'docker-ce',
  'docker.io',
  'containerd',
  'containerd.io',
  'podman',
  'kubelet',
  'nginx',
  'apache2',
  'haproxy',
  'nats-server',
  'postgresql',
  'mariadb-server',
  'redis-server',
  'nodejs',
];

/** Software as discovery wants it modelled. */
export interface DesiredSoftware extends InstalledSoftware {
  kind: 'service' | 'package';
  /** Non-ephemeral ports its executables listen on, ascending. */
  ports: number[];
}

const toRegExp = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

/** True when `software` matches one of the allowlist patterns. */
export function allowlisted(software: InstalledSoftware, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    const at = p.indexOf(':');
    const [manager, glob] = at > 0 ? [p.slice(0, at), p.slice(at + 1)] : [undefined, p];
    return (manager === undefined || manager === software.manager) && toRegExp(glob).test(software.name);
  });
}

/** `dpkg:nginx`: the key software is matched by across runs. */
export const softwareKey = (s: { manager: string; name: string }): string => `${s.manager}:${s.name}`;

/** The key of software discovery created (its config says so), else undefined. */
export function discoveredKey(s: KnownSoftware): string | undefined {
  const { discovered_by, manager } = s.config;
  return discovered_by === DISCOVERED_BY && typeof manager === 'string'
    ? softwareKey({ manager, name: s.name })
    : undefined;
}

/** The software to model, in facts order (see {@link SoftwareMode}). */
export function selectSoftware(
  facts: Facts,
  known: readonly KnownSoftware[],
  mode: SoftwareMode,
  allowlist: readonly string[],
): DesiredSoftware[] {
  const ports = new Map<string, Set<number>>();
  for (const s of facts.services) {
    if (s.package === undefined || s.ephemeral) continue;
    const key = softwareKey(s.package);
    ports.set(key, (ports.get(key) ?? new Set()).add(s.port));
  }
  const tracked = new Set(known.flatMap((k) => discoveredKey(k) ?? []));
  return facts.software.flatMap((s) => {
    const key = softwareKey(s);
    const own = [...(ports.get(key) ?? [])].sort((a, b) => a - b);
    const wanted = mode === 'all' || own.length > 0 || tracked.has(key) || allowlisted(s, allowlist);
    return wanted
      ? [{ ...s, kind: own.length > 0 ? ('service' as const) : ('package' as const), ports: own }]
      : [];
  });
}

/** Managers whose listing is complete, so software of theirs missing from the facts was uninstalled. */
export function trustedManagers(facts: Facts): Set<SoftwareManager> {
  return new Set(facts.softwareManagers.filter((m) => m.error === undefined).map((m) => m.manager));
}
