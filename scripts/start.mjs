#!/usr/bin/env node
// `npm start`: the newcomer's one command. Plain Node (no dependencies), so it works on a fresh clone:
// installs from the lockfile when node_modules is missing or older than it, then runs `cim up`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const stale =
  !existsSync(marker) || statSync(marker).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs;
if (stale) {
  console.log('installing dependencies from the lockfile (npm ci)...');
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (npm.status !== 0) {
    console.error('npm ci failed; see above');
    process.exit(npm.status ?? 1);
  }
}
const child = spawn(
  process.execPath,
  [
    '--conditions=@cim/source',
    '--import',
    'tsx',
    join(root, 'apps/cim/src/main.ts'),
    'up',
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);
// The child gets Ctrl-C from the terminal itself; a SIGTERM sent to this process is passed on.
process.on('SIGTERM', () => child.kill('SIGTERM'));
process.on('SIGINT', () => {});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
