import { decodeEvent } from '@cim/contract';
import type { ProjectionAdapter } from './adapter.js';
import type { DeadLetterQueue } from './dead-letter.js';

/**
 * Re-applies a projector's parked events in their original order, each in its own unit of work,
 * keeping the checkpoint where it is (they are older than it). Applied entries leave the DLQ;
 * entries that still fail stay, with nothing else changed.
 */
export const replayDeadLetters = async (
  adapter: ProjectionAdapter<unknown>,
  dlq: DeadLetterQueue,
  checkpoint: number,
): Promise<{ replayed: number; remaining: number }> => {
  const letters = await dlq.list(adapter.name);
  let replayed = 0;
  for (const letter of letters) {
    const decoded = decodeEvent(Buffer.from(letter.data_base64, 'base64'));
    if (!decoded.ok) continue;
    const item = {
      sequence: letter.sequence,
      subject: letter.subject,
      timestamp: new Date(letter.failed_at),
      event: decoded.event,
    };
    try {
      await adapter.transaction(async (tx) => {
        await adapter.project([item], tx);
        await adapter.writeCheckpoint(checkpoint, tx, checkpoint);
      });
    } catch {
      continue;
    }
    await dlq.remove(letter);
    replayed++;
  }
  return { replayed, remaining: letters.length - replayed };
};
