import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectionError } from './errors.js';
import { appNodeOptions } from './node-options.js';

const dir = mkdtempSync(join(tmpdir(), 'cim-node-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const appWith = (name: string, manifest: unknown): string => {
  const app = join(dir, name);
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    typeof manifest === 'string' ? manifest : JSON.stringify(manifest),
  );
  return app;
};

describe('appNodeOptions', () => {
  it("reads the options an app's package.json declares, in order", () => {
    const app = appWith('a', { name: 'a', cim: { nodeOptions: ['--max-semi-space-size=4', '--trace-gc'] } });
    expect(appNodeOptions(app)).toEqual(['--max-semi-space-size=4', '--trace-gc']);
  });

  it('is empty for an app that declares none', () => {
    expect(appNodeOptions(appWith('b', { name: 'b' }))).toEqual([]);
    expect(appNodeOptions(appWith('c', { name: 'c', cim: {} }))).toEqual([]);
  });

  it('refuses what is not one option per entry, naming the file and the entry', () => {
    const app = appWith('d', { cim: { nodeOptions: ['--max-semi-space-size=4 --trace-gc'] } });
    expect(() => appNodeOptions(app)).toThrow(ProjectionError);
    expect(() => appNodeOptions(app)).toThrow(/d\/package\.json: cim\.nodeOptions\.0: a single --option/);
    expect(() => appNodeOptions(appWith('e', { cim: { nodeOptions: '--x' } }))).toThrow(/cim\.nodeOptions/);
  });

  it('says which file it could not read', () => {
    expect(() => appNodeOptions(join(dir, 'missing'))).toThrow(/cannot read .*missing\/package\.json/);
    expect(() => appNodeOptions(appWith('f', '{ not json'))).toThrow(/cannot read .*f\/package\.json/);
  });
});
