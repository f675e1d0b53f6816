import { messageOf } from './errors.js';
import type { InstalledSoftware, SoftwareManager, SoftwareManagerFacts } from './facts.js';
import { runCommand } from './run-command.js';

/** One package manager's listing. */
export interface SoftwareListing {
  facts: SoftwareManagerFacts;
  software: InstalledSoftware[];
}

/**
 * Debian packages in state "install ok installed" (`dpkg-query -W` also lists removed packages whose
 * config files remain, status `rc`, which are not installed software). A package installed for two
 * architectures is one software entry.
 */
export async function listDpkg(timeoutMs?: number): Promise<SoftwareListing> {
  const out = await runCommand(
    'dpkg-query',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own ${field} format, not JS
    ['-W', '-f', '${Package}\t${Version}\t${db:Status-Abbrev}\n'],
    timeoutMs,
  );
  if (!out) return absent('dpkg');
  if (out.code !== 0) return failed('dpkg', `dpkg-query exited ${out.code}: ${out.stderr.trim()}`);
  const byName = new Map<string, InstalledSoftware>();
  for (const line of out.stdout.split('\n')) {
    const [name, version, status] = line.split('\t');
    if (!name || !version || !status?.startsWith('ii')) continue;
    if (!byName.has(name)) byName.set(name, { manager: 'dpkg', name, version });
  }
  return listing('dpkg', [...byName.values()]);
}

/** Global npm packages (`npm ls -g --json --depth=0`): tools an operator installed on purpose. */
export async function listNpmGlobal(timeoutMs?: number): Promise<SoftwareListing> {
  const out = await runCommand('npm', ['ls', '-g', '--json', '--depth=0'], timeoutMs);
  if (!out) return absent('npm');
  let parsed: { dependencies?: Record<string, { version?: unknown }> };
  try {
    parsed = JSON.parse(out.stdout || '{}');
  } catch (e) {
    return failed('npm', `npm ls printed no JSON (exit ${out.code}): ${messageOf(e)}`);
  }
  const software = Object.entries(parsed.dependencies ?? {}).flatMap(([name, dep]) =>
    typeof dep.version === 'string' && dep.version !== ''
      ? [{ manager: 'npm' as const, name, version: dep.version }]
      : [],
  );
  return listing('npm', software);
}

/** The package managers discovery knows and how to list them. */
export const SOFTWARE_LISTERS: Readonly<
  Record<SoftwareManager, (timeoutMs?: number) => Promise<SoftwareListing>>
> = { dpkg: listDpkg, npm: listNpmGlobal };

/** Lists every manager in `managers`; one that is absent or fails is reported, never thrown. */
export async function collectSoftware(
  managers: readonly SoftwareManager[],
  timeoutMs?: number,
): Promise<SoftwareListing[]> {
  return Promise.all(
    managers.map((m) => SOFTWARE_LISTERS[m](timeoutMs).catch((e: unknown) => failed(m, messageOf(e)))),
  );
}

const listing = (manager: SoftwareManager, software: InstalledSoftware[]): SoftwareListing => ({
  facts: { manager, available: true, count: software.length },
  software: software.sort((a, b) => a.name.localeCompare(b.name)),
});

const absent = (manager: SoftwareManager): SoftwareListing => ({
  facts: { manager, available: false, count: 0 },
  software: [],
});

const failed = (manager: SoftwareManager, error: string): SoftwareListing => ({
  facts: { manager, available: true, count: 0, error },
  software: [],
});
