/**
 * The crash test's effects, applied by the consumer process in the handler's transaction, and the
 * figures the test derives from them. All rows live in the store's `kv` table:
 * - `applied/<event id>`: one per event; a second application bumps `version` past 1;
 * - `counter/<key>`: the key's last seq (`value`) and how many events of it took effect (`version`);
 * - `violation/<key>#<seq>`: an event that was not its key's previous seq + 1;
 * - `checksum/total`: the sum of every applied event's contribution, modulo CHECKSUM_MODULUS.
 */
import type { Envelope } from '../../src/canonical/envelope.js';
import { testHappened } from '../../src/eventlog/testing/events.js';
import type { Tx } from '../../src/store/index.js';

export const CRASH_TOPIC = 'crash.things';
export const CRASH_GROUP = 'crash-consumer';
export const CRASH_PARTITIONS = 4;
export const CHECKSUM_MODULUS = 2_147_483_647;

const UPSERT =
  'INSERT INTO kv (namespace, "key", value, version, updated_at) VALUES (?, ?, ?, 1, ?) ' +
  'ON CONFLICT (namespace, "key") DO UPDATE SET value = excluded.value, version = kv.version + 1, updated_at = excluded.updated_at';
const READ = 'SELECT value, version FROM kv WHERE namespace = ? AND "key" = ?';

/** What one event adds to the checksum: depends on its key and seq, so a swap or a repeat shows. */
export function contribution(key: string, seq: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return (hash + Math.imul(seq + 1, 0x9e3779b1)) >>> 0;
}

export async function applyCrashEffect(event: Envelope, tx: Tx): Promise<void> {
  const { key, seq } = testHappened.schema.parse(event.data);
  const now = Date.now();
  const [counter] = await tx.all<{ value: string }>(READ, ['counter', key]);
  const previous = counter ? Number(counter.value) : -1;
  if (seq !== previous + 1) await tx.run(UPSERT, ['violation', `${key}#${seq}`, `after ${previous}`, now]);
  await tx.run(UPSERT, ['counter', key, String(seq), now]);
  await tx.run(UPSERT, ['applied', event.id, `${key}#${seq}`, now]);
  const [sum] = await tx.all<{ value: string }>(READ, ['checksum', 'total']);
  const total = ((sum ? Number(sum.value) : 0) + contribution(key, seq)) % CHECKSUM_MODULUS;
  await tx.run(UPSERT, ['checksum', 'total', String(total), now]);
}
