import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appNodeOptions } from '@cim/projection-kit';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FLEET, serviceSpec } from './up-command.js';

// Every launcher of an app runs it with the node options its package.json declares (`cim.nodeOptions`):
// `cim up` and the benchmark read them, the NixOS module evaluates the same file, and the npm start
// script and docker-compose.yml spell them out. These tests hold each one to the declaration.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const apps = readdirSync(join(ROOT, 'apps')).filter((app) => {
  const manifest = join(ROOT, 'apps', app, 'package.json');
  return existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).scripts?.start !== undefined;
});
const optionsOf = (app: string) => appNodeOptions(join(ROOT, 'apps', app));

describe('app launchers', () => {
  it('finds the apps that are run as processes, and at least one declares node options', () => {
    expect(apps).toEqual(expect.arrayContaining(['command-service', 'sql-projector', 'metrics-projector']));
    expect(apps.some((app) => optionsOf(app).length > 0)).toBe(true);
  });

  it.each(apps)('%s: the npm start script runs dist/main.js with the declared options', (app) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'apps', app, 'package.json'), 'utf8'));
    expect(manifest.scripts.start).toBe(['node', ...optionsOf(app), 'dist/main.js'].join(' '));
  });

  it('docker-compose.yml runs every app with its declared options before the script', () => {
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { command?: string[] }>;
    };
    const run = apps.filter((app) => compose.services[app] !== undefined);
    expect(run.length).toBeGreaterThanOrEqual(3);
    for (const app of run)
      expect(compose.services[app]!.command, app).toEqual([...optionsOf(app), `apps/${app}/dist/main.js`]);
  });

  it('the NixOS module evaluates the same declaration (nix-instantiate on nix/node-options.nix)', () => {
    const list = apps.map((app) => JSON.stringify(app)).join(' ');
    const out = execFileSync(
      'nix-instantiate',
      ['--eval', '--strict', '--json', '-E', `map (import ./nix/node-options.nix) [ ${list} ]`],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual(apps.map(optionsOf));
    // The module and the flake parse, and the services' command line is built from those options.
    for (const file of ['nix/module.nix', 'flake.nix'])
      execFileSync('nix-instantiate', ['--parse', file], { cwd: ROOT, stdio: 'ignore' });
    const module = readFileSync(join(ROOT, 'nix/module.nix'), 'utf8');
    expect(module).toContain('nodeOptions = import ./node-options.nix;');
    expect(module).toMatch(/ExecStart = .*\$\{lib\.escapeShellArgs \(nodeOptions name\)\} .*dist\/main\.js/);
  });

  it('cim up starts each fleet member with its declared options ahead of the tsx loader', () => {
    for (const member of FLEET.filter((m) => apps.includes(m.app))) {
      const { args } = serviceSpec(member, 0);
      const own = optionsOf(member.app);
      expect(args.slice(0, own.length + 1), member.app).toEqual([...own, '--conditions=@cim/source']);
    }
  });
});
