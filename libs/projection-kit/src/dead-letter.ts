import {
  type JetStreamClient,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';

/** @default 'CIM_DLQ' */
export const DEFAULT_DLQ_STREAM = 'CIM_DLQ';
/** @default 'cim.dlq' */
export const DEFAULT_DLQ_PREFIX = 'cim.dlq';

/** A poison event parked for a person to look at; replayable once the cause is fixed. */
export interface DeadLetter {
  projector: string;
  /** Subject and sequence of the event in the event stream. */
  subject: string;
  sequence: number;
  /** The original message bytes, base64. */
  data_base64: string;
  reason: string;
  code: string;
  attempts: number;
  failed_at: string;
}

/** A dead letter with its place in the DLQ stream (used to remove it after a successful replay). */
export interface StoredDeadLetter extends DeadLetter {
  dlq_sequence: number;
}

export interface DeadLetterOptions {
  stream?: string;
  prefix?: string;
}

/** The DLQ stream: durable, so entries survive restarts and can be listed and replayed. */
export class DeadLetterQueue {
  readonly stream: string;
  readonly prefix: string;

  constructor(
    private readonly jsm: JetStreamManager,
    private readonly js: JetStreamClient,
    options: DeadLetterOptions = {},
  ) {
    this.stream = options.stream ?? DEFAULT_DLQ_STREAM;
    this.prefix = options.prefix ?? DEFAULT_DLQ_PREFIX;
  }

  subject(projector: string): string {
    return `${this.prefix}.${projector}`;
  }

  async ensure(): Promise<void> {
    try {
      await this.jsm.streams.info(this.stream);
    } catch {
      await this.jsm.streams.add({
        name: this.stream,
        subjects: [`${this.prefix}.>`],
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
      });
    }
  }

  async put(letter: DeadLetter): Promise<void> {
    await this.js.publish(this.subject(letter.projector), JSON.stringify(letter), {
      msgID: `${letter.projector}:${letter.sequence}:${letter.failed_at}`,
    });
  }

  /** Every parked entry of one projector, oldest first. */
  async list(projector: string): Promise<StoredDeadLetter[]> {
    const info = await this.jsm.streams.info(this.stream, { subjects_filter: this.subject(projector) });
    const count = info.state.subjects?.[this.subject(projector)] ?? 0;
    if (count === 0) return [];
    // One subject as a string: nats-server 2.9 has no multi-filter consumers.
    const consumer = await this.js.consumers.get(this.stream, { filter_subjects: this.subject(projector) });
    const letters: StoredDeadLetter[] = [];
    const messages = await consumer.fetch({ max_messages: count, expires: 5_000 });
    for await (const m of messages) {
      letters.push({ ...(m.json() as DeadLetter), dlq_sequence: m.seq });
      if (letters.length >= count) break;
    }
    await consumer.delete().catch(() => {});
    return letters;
  }

  async count(projector: string): Promise<number> {
    const info = await this.jsm.streams.info(this.stream, { subjects_filter: this.subject(projector) });
    return info.state.subjects?.[this.subject(projector)] ?? 0;
  }

  async remove(letter: StoredDeadLetter): Promise<void> {
    await this.jsm.streams.deleteMessage(this.stream, letter.dlq_sequence, false);
  }
}
