import type { CommandName, CommandPayloadInput } from '@cim/contract';

/**
 * A command discovery wants to send: its name, a payload valid against `COMMANDS[name]`, and why, in
 * words for `--dry-run` and `watch` output.
 */
export type PlannedCommand = {
  [C in CommandName]: { name: C; payload: CommandPayloadInput<C>; reason: string };
}[CommandName];

/** The planned commands of one name. */
export type PlannedCommandOf<C extends CommandName> = Extract<PlannedCommand, { name: C }>;

/**
 * Stands for the id of the resource a planned `compute.register` will create (a valid UUID v7, so
 * planned payloads validate); `discover` replaces it with the registered event's `aggregate_id`.
 */
export const PENDING_RESOURCE_ID = '00000000-0000-7000-8000-000000000000';

/** The `config.discovered_by` (and `labels.discovered_by`) value marking what discovery created. */
export const DISCOVERED_BY = 'cim-discover';
