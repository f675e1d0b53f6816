import { ensureCheckpointGuard } from '@cim/projection-kit';
import type { Kysely, Migration } from 'kysely';
import { checkpointTableIn, executorOf } from '../checkpoint-table.js';

/**
 * The function a batch's checkpoint raises through when the store does not hold the checkpoint the
 * kit expects, so that a batch can be sent with its COMMIT in one message (`batched-transaction.ts`).
 */
export const checkpointGuardMigration = (schema: string): Migration => ({
  async up(db: Kysely<unknown>) {
    await ensureCheckpointGuard(executorOf(db), checkpointTableIn(schema));
  },
});
