import { SqlProjectorError } from './errors.js';

/** Lower-case identifier short enough to take the `_shadow` suffix within PostgreSQL's 63 bytes. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

/** Returns `name` when it is a usable schema name, else throws `INVALID_OPTIONS` naming the rule. */
export const validSchemaName = (name: string): string => {
  if (!SCHEMA_NAME.test(name)) {
    throw new SqlProjectorError(
      'INVALID_OPTIONS',
      `invalid schema name '${name}': use 1-48 lower-case letters, digits or _, not starting with a digit`,
    );
  }
  return name;
};
