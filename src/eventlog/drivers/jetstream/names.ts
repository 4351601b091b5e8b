import { partitionFor } from '../../partition.js';

/**
 * NATS names of a topic. A topic may hold '.', which separates subject tokens and is refused in
 * stream and consumer names, so it is escaped ('_' -> '_u', '.' -> '_d': one-to-one, no collision).
 * https://docs.nats.io/nats-concepts/subjects#characters-allowed-and-recommended-for-subject-names
 */
function escapeToken(text: string): string {
  return text.replace(/[_.]/g, (c) => (c === '_' ? '_u' : '_d'));
}

export class NatsNames {
  constructor(
    private readonly streamPrefix: string,
    private readonly subjectPrefix: string,
  ) {}

  /** `CD_<topic>`: one stream per topic. */
  stream(topic: string): string {
    return `${this.streamPrefix}${escapeToken(topic)}`;
  }

  /** `cd.<topic>.<partition>`: one subject per partition, so a consumer filters one partition. */
  subject(topic: string, partition: number): string {
    return `${this.subjectPrefix}.${escapeToken(topic)}.${partition}`;
  }

  subjects(topic: string): string {
    return `${this.subjectPrefix}.${escapeToken(topic)}.*`;
  }

  /** Names of a group's consumers on one partition start with this; the epoch and a generation follow. */
  consumerPrefix(group: string, partition: number): string {
    const readable = group.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
    // The hash keeps two groups apart that read the same once sanitised.
    const hash = partitionFor(group, 0x7fffffff).toString(36);
    return `${readable}-${hash}-p${partition}-e`;
  }

  consumer(group: string, partition: number, epoch: number, generation: number): string {
    return `${this.consumerPrefix(group, partition)}${epoch}-g${generation}`;
  }
}
