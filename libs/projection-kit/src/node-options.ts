import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ProjectionError } from './errors.js';

/**
 * Node options an app's process runs with, declared once in its package.json as
 * `"cim": { "nodeOptions": ["--max-semi-space-size=4"] }`. Every launcher reads them from there:
 * `cim up`, the benchmark and the NixOS module; the npm start script and docker-compose.yml spell
 * them out, and a test holds both to the declaration. An app without the field runs with Node's
 * defaults.
 */
const manifestSchema = z.object({
  cim: z
    .object({
      nodeOptions: z
        .array(z.string().regex(/^--[a-z][a-z0-9-]*(=\S+)?$/, 'a single --option[=value]'))
        .optional(),
    })
    .optional(),
});

/** The node options of the app in `appDir` (a folder with a package.json); [] when it declares none. */
export const appNodeOptions = (appDir: string): string[] => {
  const file = join(appDir, 'package.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ProjectionError('INVALID_LAUNCH_CONFIG', `cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ProjectionError('INVALID_LAUNCH_CONFIG', `${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data.cim?.nodeOptions ?? [];
};
