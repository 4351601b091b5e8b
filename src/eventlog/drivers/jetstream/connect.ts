import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { backoffMs, errorMessage, type Logger, sleep } from '../../../kernel/index.js';
import { JetStreamErrors } from './errors.js';

export interface ConnectJetStreamOptions {
  /** Attempts before giving up at start-up (each waits with backoff, capped at 5 s). */
  retries?: number;
  logger?: Logger;
  /** Connection name shown by `nats server report connections`. */
  name?: string;
}

/** `nats://user:pass@host:4222,nats://other:4222` without credentials, for messages. */
export function redactServers(servers: string): string {
  return servers
    .split(',')
    .map((s) => s.trim().replace(/\/\/[^@/]*@/, '//***@'))
    .join(',');
}

/**
 * Connects to NATS and checks that JetStream is enabled for the account. At start-up an unreachable
 * server is retried a bounded number of times, then reported as CD_ERR_BUS_UNAVAILABLE; once
 * connected, the client reconnects by itself for as long as the process runs.
 */
export async function connectJetStream(servers: string, options: ConnectJetStreamOptions = {}): Promise<NatsConnection> {
  const retries = options.retries ?? 10;
  const shown = redactServers(servers);
  let last: unknown;
  for (let attempt = 1; attempt <= retries; attempt++) {
    let nc: NatsConnection | undefined;
    try {
      nc = await connect({
        servers: servers.split(',').map((s) => s.trim()),
        name: options.name ?? 'crossdock',
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        timeout: 5_000,
      });
      // Throws when the account has no JetStream (server started without -js).
      await jetstreamManager(nc, { checkAPI: true });
      options.logger?.info({ servers: shown, server: nc.info?.version }, 'connected to NATS JetStream');
      return nc;
    } catch (err) {
      last = err;
      await nc?.close().catch(() => {});
      options.logger?.warn({ servers: shown, attempt, retries, err: errorMessage(err) }, 'NATS JetStream not reachable yet');
      if (attempt < retries) await sleep(backoffMs(attempt, 200, 5_000));
    }
  }
  throw JetStreamErrors.busUnavailable(
    `NATS JetStream at ${shown} is not reachable after ${retries} attempts (${errorMessage(last)}); check CROSSDOCK_BUS and that nats-server runs with JetStream enabled`,
    { servers: shown, attempts: retries },
    { cause: last },
  );
}
