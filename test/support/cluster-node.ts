/**
 * One hub process of a cluster test or benchmark: consumes a topic on PostgreSQL + NATS JetStream
 * and writes one effect row per handled event. Run as
 *   node --import tsx test/support/cluster-node.ts '<json ClusterNodeConfig>'
 * It prints `ready <processId>` once it consumes, and stops cleanly on SIGTERM.
 */
import { z } from 'zod';
import { openJetStreamEventLog } from '../../src/eventlog/drivers/jetstream/index.js';
import { testCatalog, testHappened } from '../../src/eventlog/testing/events.js';
import { createLogger } from '../../src/kernel/index.js';
import { PostgresStore } from '../../src/store/index.js';

export const clusterNodeConfigSchema = z
  .object({
    postgresUrl: z.string(),
    schema: z.string(),
    natsUrl: z.string(),
    streamPrefix: z.string(),
    subjectPrefix: z.string(),
    processId: z.string(),
    topic: z.string(),
    group: z.string(),
    partitions: z.number().int().positive(),
    batchSize: z.number().int().positive().default(256),
    /** Check, in the handler's transaction, that each key's events arrive in seq order. */
    checkOrder: z.boolean().default(false),
    logLevel: z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('warn'),
  })
  .strict();

export type ClusterNodeConfig = z.input<typeof clusterNodeConfigSchema>;

const config = clusterNodeConfigSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const logger = createLogger({ level: config.logLevel, name: config.processId });
const store = new PostgresStore({ url: config.postgresUrl, schema: config.schema, poolSize: 12 });
const log = await openJetStreamEventLog({
  store,
  servers: config.natsUrl,
  catalog: testCatalog(),
  logger,
  processId: config.processId,
  retries: 5,
  settings: {
    streamPrefix: config.streamPrefix,
    subjectPrefix: config.subjectPrefix,
    defaultPartitions: config.partitions,
    batchSize: config.batchSize,
    heartbeatMs: 250,
    leaseTtlMs: 1_500,
    pollIntervalMs: 50,
    relayPollMs: 100,
  },
});

log.subscribe({
  group: config.group,
  topic: config.topic,
  handler: async (event, ctx) => {
    const { key, seq } = testHappened.schema.parse(event.data);
    if (config.checkOrder) {
      const [last] = await ctx.tx.all<{ value: string }>('SELECT value FROM kv WHERE namespace = \'last\' AND "key" = ? FOR UPDATE', [key]);
      const expected = last ? Number(last.value) + 1 : 0;
      if (seq !== expected) {
        await ctx.tx.run('INSERT INTO kv (namespace, "key", value, version, updated_at) VALUES (?, ?, ?, 1, ?)', [
          'violation',
          `${key}#${seq}#${config.processId}#${Date.now()}`,
          `expected ${expected}, got ${seq}`,
          Date.now(),
        ]);
      }
      await ctx.tx.run(
        'INSERT INTO kv (namespace, "key", value, version, updated_at) VALUES (?, ?, ?, 1, ?) ' +
          'ON CONFLICT (namespace, "key") DO UPDATE SET value = EXCLUDED.value',
        ['last', key, String(seq), Date.now()],
      );
    }
    // No unique key on purpose: a second effect of one event would show up as a second row.
    await ctx.tx.run('INSERT INTO kv (namespace, "key", value, version, updated_at) VALUES (?, ?, ?, 1, ?)', [
      'effect',
      `${event.id}#${config.processId}#${ctx.offset}`,
      `${key}:${seq}`,
      Date.now(),
    ]);
  },
});
await log.start();
process.stdout.write(`ready ${config.processId}\n`);

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void log
    .close()
    .then(() => store.close())
    .finally(() => process.exit(0));
});
