import { defineError } from '../../../kernel/index.js';

export const JetStreamErrors = {
  busUnavailable: defineError('CD_ERR_BUS_UNAVAILABLE', { class: 'retryable', title: 'NATS JetStream unavailable' }),
  /** A consumer no longer owns the partition it worked on (another process took it over). */
  leaseLost: defineError('CD_ERR_EVENTLOG_LEASE_LOST', { class: 'retryable', title: 'Partition lease lost' }),
} as const;
