import { v7 as uuidv7, validate, version } from 'uuid';

/** A new time-ordered UUID v7, the id of every event, aggregate and command. */
export const newId = (): string => uuidv7();

/** True for a syntactically valid UUID of version 7. */
export const isUuidV7 = (value: string): boolean => validate(value) && version(value) === 7;
