import { silentLogger } from '../../../kernel/index.js';
import { freshPostgresStore } from '../../../store/testing/postgres.js';
import { eventLogContract } from '../../eventlog.contract.js';
import { testCatalog } from '../../testing/events.js';
import type { JetStreamEventLog } from './jetstream-eventlog.js';
import { openJetStreamEventLog } from './open.js';
import { deleteStreams, TEST_NATS_URL, uniquePrefixes } from './testing/nats.js';

eventLogContract('jetstream', async () => {
  const { store, drop } = await freshPostgresStore();
  await store.migrate();
  const prefixes = uniquePrefixes();
  const logs: JetStreamEventLog[] = [];
  return {
    store,
    makeLog: async (options = {}) => {
      const log = await openJetStreamEventLog({
        store,
        servers: TEST_NATS_URL,
        catalog: testCatalog(),
        logger: silentLogger(),
        retries: 2,
        settings: {
          ...prefixes,
          defaultPartitions: 4,
          pollIntervalMs: 20,
          heartbeatMs: 100,
          leaseTtlMs: 1_000,
          relayPollMs: 50,
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
          ...(options.retry ? { retry: { maxAttempts: 8, baseMs: 250, maxMs: 60_000, ...options.retry } } : {}),
        },
      });
      logs.push(log);
      return log;
    },
    cleanup: async () => {
      for (const log of logs) await log.close();
      await deleteStreams(prefixes.streamPrefix);
      await drop();
    },
  };
});
