import { z } from 'zod';

const retrySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(100).default(8),
    baseMs: z.number().int().min(1).default(250),
    maxMs: z.number().int().min(1).default(60_000),
  })
  .strict();

/** Tunables of the JetStream event log (config key `eventlog.cluster`, see docs/deploy.md). */
export const jetStreamSettingsSchema = z
  .object({
    /** Streams are named `<streamPrefix><topic>`; give each deployment sharing a NATS account its own. */
    streamPrefix: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/)
      .default('CD_'),
    /** Partition subjects are `<subjectPrefix>.<topic>.<partition>`. */
    subjectPrefix: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/)
      .default('cd'),
    /** Stream replicas: 3 on a three-node NATS cluster, 1 on a single server. */
    replicas: z.number().int().min(1).max(5).default(1),
    /** Stream retention by age in ms; 0 keeps events until an operator purges them. */
    maxAgeMs: z.number().int().min(0).default(0),
    /** JetStream drops a re-sent message id within this window (a relay retry after a lost PubAck). */
    duplicateWindowMs: z.number().int().min(100).default(120_000),
    defaultPartitions: z.number().int().min(1).max(1024).default(8),
    topicPartitions: z.record(z.string(), z.number().int().min(1).max(1024)).default({}),
    retry: retrySchema.default({ maxAttempts: 8, baseMs: 250, maxMs: 60_000 }),
    /** Events handled per consumer transaction. */
    batchSize: z.number().int().min(1).max(10_000).default(256),
    /** How often an idle worker looks at its parked keys. */
    pollIntervalMs: z.number().int().min(1).max(60_000).default(250),
    /** Member heartbeat and rebalance period. */
    heartbeatMs: z.number().int().min(10).default(1_000),
    /** A process whose heartbeat is older than this loses its partitions to the others. */
    leaseTtlMs: z.number().int().min(50).default(5_000),
    relayBatch: z.number().int().min(1).max(5_000).default(500),
    /** How often each process looks for outbox rows left by others (a crash before relay). */
    relayPollMs: z.number().int().min(10).default(250),
    relayConcurrency: z.number().int().min(1).max(64).default(4),
    publishTimeoutMs: z.number().int().min(100).default(5_000),
    ackWaitMs: z.number().int().min(1_000).default(60_000),
    maxAckPending: z.number().int().min(1).default(4_096),
    /** JetStream deletes a consumer nobody pulled from for this long (left by a crashed process). */
    consumerInactiveMs: z.number().int().min(1_000).default(600_000),
  })
  .strict();

export type JetStreamSettings = z.infer<typeof jetStreamSettingsSchema>;
export type JetStreamSettingsInput = z.input<typeof jetStreamSettingsSchema>;
