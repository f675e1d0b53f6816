import { isUuidV7, newId } from '@cim/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateIdFor, commandIdentity, derivedId, eventIdFor } from './command-ids.js';

describe('derived ids', () => {
  it('are UUID v7, deterministic and distinct per label and command', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (a, b) => {
        expect(isUuidV7(eventIdFor(a))).toBe(true);
        expect(eventIdFor(a)).toBe(eventIdFor(a));
        expect(eventIdFor(a)).not.toBe(aggregateIdFor(a));
        expect(eventIdFor(a, 0)).not.toBe(eventIdFor(a, 1));
        if (a !== b) expect(eventIdFor(a)).not.toBe(eventIdFor(b));
      }),
    );
  });

  it('keep the timestamp of a UUID v7 command id, so events stay time-ordered', () => {
    const commandId = newId();
    expect(derivedId(commandId, 'x').slice(0, 13)).toBe(commandId.slice(0, 13));
  });

  it('give a root command correlation = causation = command id, and pass given ones through', () => {
    const command_id = newId();
    expect(commandIdentity({ command_id })).toEqual({ correlation_id: command_id, causation_id: command_id });
    const correlation_id = newId();
    expect(commandIdentity({ command_id, correlation_id })).toEqual({
      correlation_id,
      causation_id: command_id,
    });
  });
});
