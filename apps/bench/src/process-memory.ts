import { readFile } from 'node:fs/promises';

/** Peak resident set size of a live process in MB (VmHWM), or NaN when it cannot be read. */
export const peakRssMb = async (pid: number): Promise<number> => {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
};
