import { createEvent, decodeEvent, newId, rootIdentity } from '@cim/contract';
import { describe, expect, it } from 'vitest';
import { applyBatch, type RawStreamMessage } from './apply-batch.js';
import type { DeadLetter } from './dead-letter.js';
import { TransientError } from './errors.js';
import { MemoryReferenceAdapter } from './testing/memory-reference-adapter.js';

const encoder = new TextEncoder();
const registered = (hostname: string) =>
  createEvent('ComputeRegistered', {
    aggregate_id: newId(),
    aggregate_version: 1,
    identity: rootIdentity(newId()),
    payload: { hostname, resource_type: 'vm' },
  });
const messages = (...items: (object | string)[]): RawStreamMessage[] =>
  items.map((item, i) => ({
    sequence: i + 1,
    subject: 'infrastructure.compute.registered',
    timestamp: new Date(),
    data: encoder.encode(typeof item === 'string' ? item : JSON.stringify(item)),
  }));

describe('applyBatch', () => {
  it('skips what is at or below the checkpoint', async () => {
    const adapter = new MemoryReferenceAdapter();
    const batch = messages(registered('a'), registered('b'));
    const letters: DeadLetter[] = [];
    await applyBatch(adapter, batch, 0, { deadLetter: async (l) => void letters.push(l) });
    const again = await applyBatch(adapter, batch, 2, { deadLetter: async (l) => void letters.push(l) });
    expect(again).toEqual({ halted: false, checkpoint: 2, applied: 0, deadLettered: 0 });
    expect(adapter.model.counts).toEqual({ ComputeRegistered: 2 });
  });

  it('parks undecodable and handler-failing events and moves on', async () => {
    const adapter = new MemoryReferenceAdapter();
    const poisonHost = registered('boom');
    const original = adapter.project.bind(adapter);
    adapter.project = async (batch, tx) => {
      if (
        batch.some((e) => e.event.event_type === 'ComputeRegistered' && e.event.payload.hostname === 'boom')
      ) {
        throw new Error('boom is not allowed');
      }
      return original(batch, tx);
    };
    const letters: DeadLetter[] = [];
    const result = await applyBatch(
      adapter,
      messages(registered('a'), 'nope', poisonHost, registered('c')),
      0,
      {
        maxAttempts: 2,
        deadLetter: async (l) => void letters.push(l),
      },
    );
    expect(result).toEqual({ halted: false, checkpoint: 4, applied: 2, deadLettered: 2 });
    expect(letters.map((l) => [l.sequence, l.code, l.attempts])).toEqual([
      [2, 'INVALID_JSON', 1],
      [3, 'HANDLER_FAILED', 2],
    ]);
    expect(letters[1]!.reason).toBe('boom is not allowed');
    expect(Buffer.from(letters[0]!.data_base64, 'base64').toString()).toBe('nope');
    expect(adapter.checkpoint).toBe(4);
  });

  it("reads a decoded message's bytes back for its dead letter, or re-encodes the event, saying so", async () => {
    const adapter = new MemoryReferenceAdapter();
    const bad = registered('boom');
    adapter.project = async () => {
      throw new Error('boom is not allowed');
    };
    // As the projector hands them over: decoded, without their bytes.
    const decodedOnly = messages(bad).map(({ data, ...m }) => ({
      ...m,
      decoded: decodeEvent(data) as never,
    }));
    const stored = encoder.encode(`${JSON.stringify(bad)}\n`); // the stream's exact bytes
    const letters: DeadLetter[] = [];
    const asked: number[] = [];
    await applyBatch(adapter, decodedOnly, 0, {
      maxAttempts: 1,
      deadLetter: async (l) => void letters.push(l),
      storedBytes: async (seq) => {
        asked.push(seq);
        return stored;
      },
    });
    expect(asked).toEqual([1]);
    expect(Buffer.from(letters[0]!.data_base64, 'base64')).toEqual(Buffer.from(stored));
    expect(letters[0]!.reason).toBe('boom is not allowed');

    const gone = new MemoryReferenceAdapter();
    gone.project = adapter.project;
    await applyBatch(gone, decodedOnly, 0, {
      maxAttempts: 1,
      deadLetter: async (l) => void letters.push(l),
      storedBytes: async () => {
        throw new Error('no message with that sequence');
      },
    });
    expect(JSON.parse(Buffer.from(letters[1]!.data_base64, 'base64').toString())).toEqual(bad);
    expect(letters[1]!.reason).toMatch(
      /^boom is not allowed \(the stream no longer holds the original bytes/,
    );
  });

  it('halts before the first poison event when told to', async () => {
    const adapter = new MemoryReferenceAdapter();
    const result = await applyBatch(adapter, messages(registered('a'), 'nope', registered('c')), 0, {
      haltOnPoison: true,
      deadLetter: async () => expect.unreachable(),
    });
    expect(result).toMatchObject({ halted: true, checkpoint: 1, applied: 1, poison: { sequence: 2 } });
    expect(adapter.checkpoint).toBe(1);
  });

  it('treats an outage as transient: nothing parked, nothing committed', async () => {
    const adapter = new MemoryReferenceAdapter();
    adapter.project = async () => {
      throw new TransientError('connection refused');
    };
    await expect(
      applyBatch(adapter, messages(registered('a')), 0, { deadLetter: async () => expect.unreachable() }),
    ).rejects.toBeInstanceOf(TransientError);
    expect(adapter.checkpoint).toBe(0);
  });

  it('treats a failure while the store reports degraded as transient', async () => {
    const adapter = new MemoryReferenceAdapter();
    adapter.project = async () => {
      throw new Error('weird');
    };
    adapter.healthCheck = async () => ({ state: 'degraded', detail: 'disk full' });
    await expect(
      applyBatch(adapter, messages(registered('a')), 0, { deadLetter: async () => expect.unreachable() }),
    ).rejects.toThrow(/store degraded: disk full/);
  });
});
