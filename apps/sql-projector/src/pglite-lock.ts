import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SqlProjectorError } from './errors.js';

/** Lock file in a PGlite data directory, holding the owner's pid. */
export const PGLITE_LOCK_FILE = 'cim-sql-projector.lock';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the directory for this process. PGlite happily opens a data directory another process has
 * open, and two writers corrupt it; so the first opener leaves its pid, and later ones fail with
 * `STORE_LOCKED` while that process lives (a stale lock of a dead process is taken over).
 * Returns the release function.
 */
export const lockPgliteDir = async (dir: string): Promise<() => Promise<void>> => {
  const path = join(dir, PGLITE_LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new SqlProjectorError(
          'STORE_LOCKED',
          `the embedded read model in ${dir} is open in process ${owner} (a running sql projector?): ` +
            'stop it first, or run the projector against PostgreSQL (DATABASE_URL) to read while it runs',
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new SqlProjectorError('STORE_LOCKED', `could not lock the embedded read model in ${dir}`);
};
