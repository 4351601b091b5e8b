/**
 * A consumer process for test/eventlog-crash.test.ts: opens the SQLite store given on the command
 * line, consumes the crash topic with a handler whose effects all go through ctx.tx. It prints
 * `loaded` once its modules are loaded, waits for `start` on stdin (so the test can load the next
 * life while the current one works), then prints `ready` once it consumes. The test SIGKILLs it at
 * random moments; SIGTERM stops it cleanly.
 */
// Module files rather than the folders' index files: a fresh process is loaded for each of the test's
// 21 lives, and the indexes also load the PostgreSQL and NATS drivers this process does not use.
import { SqlEventLog } from '../../src/eventlog/sql-eventlog.js';
import { testCatalog } from '../../src/eventlog/testing/events.js';
import { createLogger } from '../../src/kernel/index.js';
import { SqliteStore } from '../../src/store/drivers/sqlite.js';
import { applyCrashEffect, CRASH_GROUP, CRASH_PARTITIONS, CRASH_TOPIC } from './eventlog-crash-effects.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: eventlog-crash-consumer.ts <sqlite file>');
  process.exit(2);
}

const store = SqliteStore.open({ file, busyTimeoutMs: 10_000 });
const log = new SqlEventLog({
  store,
  catalog: testCatalog(),
  logger: createLogger({ level: 'error' }),
  defaultPartitions: CRASH_PARTITIONS,
  // Small batches and a short poll: the publisher is another process, so no in-process wake-up
  // reaches this one, and the kills should find transactions open as often as committed.
  batchSize: 16,
  pollIntervalMs: 5,
});
log.subscribe({ group: CRASH_GROUP, topic: CRASH_TOPIC, handler: (event, ctx) => applyCrashEffect(event, ctx.tx) });
process.stdout.write('loaded\n');
await new Promise<void>((go) => {
  let input = '';
  process.stdin.on('data', (chunk: Buffer) => {
    input += chunk.toString();
    if (input.includes('start\n')) go();
  });
});
await log.start();
process.stdout.write('ready\n');

process.once('SIGTERM', () => {
  void log
    .stop()
    .then(() => store.close())
    .then(() => process.exit(0));
});
