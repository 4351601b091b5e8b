import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** The NATS server the cluster suites use; .ci/run starts one (with -js) when none is running. */
export const TEST_NATS_URL = process.env.CROSSDOCK_TEST_NATS ?? 'nats://127.0.0.1:4222';

/** Stream and subject prefixes of their own, so suites share one server without meeting. */
export function uniquePrefixes(): { streamPrefix: string; subjectPrefix: string } {
  const tag = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  return { streamPrefix: `CDT_${tag}_`, subjectPrefix: `cdt_${tag}` };
}

/** Deletes every stream whose name starts with the prefix (and with it, its consumers). */
export async function deleteStreams(streamPrefix: string): Promise<void> {
  const nc = await connect({ servers: TEST_NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    const names: string[] = [];
    for await (const s of jsm.streams.list()) if (s.config.name.startsWith(streamPrefix)) names.push(s.config.name);
    for (const n of names) await jsm.streams.delete(n);
  } finally {
    await nc.close();
  }
}
