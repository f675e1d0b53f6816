import type { Facts } from './facts.js';
import type { PlannedCommandOf } from './planned-command.js';
import { DISCOVERED_BY } from './planned-command.js';
import {
  type DesiredSoftware,
  discoveredKey,
  type SoftwareMode,
  selectSoftware,
  softwareKey,
  trustedManagers,
} from './select-software.js';
import type { KnownSoftware } from './state-fold.js';

const samePorts = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && [...a].sort((x, y) => x - y).every((p, i) => p === b[i]);

const portsText = (ports: readonly number[]): string =>
  ports.length > 0 ? ` on port ${ports.join(', ')}` : '';

/**
 * `software.configure` for selected software that is new, or whose version, kind or ports changed;
 * `software.remove` for software discovery created that its package manager no longer lists. Software
 * an operator configured by hand (without the discovery mark) is never changed or removed, and
 * discovery does not add a second aggregate of the same name next to it.
 */
export function planSoftware(
  facts: Facts,
  resourceId: string,
  known: readonly KnownSoftware[],
  mode: SoftwareMode,
  allowlist: readonly string[],
): Array<PlannedCommandOf<'software.configure'> | PlannedCommandOf<'software.remove'>> {
  const byKey = new Map(
    known.flatMap((k) => {
      const key = discoveredKey(k);
      return key === undefined ? [] : [[key, k] as const];
    }),
  );
  const manual = new Set(known.filter((k) => discoveredKey(k) === undefined).map((k) => k.name));
  const configure = (s: DesiredSoftware, existing: KnownSoftware | undefined, reason: string) => ({
    name: 'software.configure' as const,
    payload: {
      ...(existing && { software_id: existing.id }),
      resource_id: resourceId,
      name: s.name,
      version: s.version,
      kind: s.kind,
      ports: s.ports,
      config: { ...existing?.config, discovered_by: DISCOVERED_BY, manager: s.manager },
    },
    reason,
  });

  const commands: Array<PlannedCommandOf<'software.configure'> | PlannedCommandOf<'software.remove'>> = [];
  const desired = selectSoftware(facts, known, mode, allowlist);
  for (const s of desired) {
    const existing = byKey.get(softwareKey(s));
    if (!existing) {
      if (!manual.has(s.name))
        commands.push(
          configure(s, undefined, `new ${s.manager} ${s.kind} ${s.name} ${s.version}${portsText(s.ports)}`),
        );
      continue;
    }
    const changes: string[] = [];
    if (existing.version !== s.version) changes.push(`version ${existing.version} → ${s.version}`);
    if (existing.kind !== s.kind) changes.push(`kind ${existing.kind} → ${s.kind}`);
    if (!samePorts(existing.ports, s.ports))
      changes.push(`ports [${existing.ports.join(', ')}] → [${s.ports.join(', ')}]`);
    if (changes.length > 0) commands.push(configure(s, existing, `${s.name}: ${changes.join(', ')}`));
  }

  const installed = new Set(facts.software.map(softwareKey));
  const trusted = trustedManagers(facts);
  for (const [key, k] of byKey) {
    const manager = k.config.manager as Facts['software'][number]['manager'];
    if (installed.has(key) || !trusted.has(manager)) continue;
    commands.push({
      name: 'software.remove',
      payload: { software_id: k.id, reason: `${manager} no longer lists ${k.name}` },
      reason: `${k.name} ${k.version} no longer installed`,
    });
  }
  return commands;
}
