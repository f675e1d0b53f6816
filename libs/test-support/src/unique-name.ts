import { randomBytes } from 'node:crypto';

/** Longest prefix kept, so a name stays well inside PostgreSQL's 63-byte identifier limit. */
const MAX_PREFIX_LENGTH = 40;

/**
 * A short name no other test run will pick, valid unquoted as a PostgreSQL identifier and as a
 * JetStream stream, consumer or subject token: `<prefix>_<base36 time><6 random base36 chars>`,
 * lower-case letters, digits and `_` only (e.g. `orders_mhx2k3p1a9f0qz`).
 *
 * @param prefix what the name is for; lower-cased, other characters become `_`, cut to 40 chars.
 */
export function uniqueName(prefix: string): string {
  let clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, MAX_PREFIX_LENGTH);
  // SQL identifiers may not start with a digit.
  if (!/^[a-z_]/.test(clean)) clean = `t${clean}`;
  return `${clean}_${Date.now().toString(36)}${randomSuffix(6)}`;
}

/** {@link uniqueName} in upper case, the usual spelling of JetStream stream names. */
export function uniqueStreamName(prefix: string): string {
  return uniqueName(prefix).toUpperCase();
}

function randomSuffix(length: number): string {
  let out = '';
  for (const byte of randomBytes(length)) out += (byte % 36).toString(36);
  return out;
}
