import type { EventCatalog } from '../../../canonical/index.js';
import { backoffMs, type Clock, Errors, errorMessage, type Logger, sleep } from '../../../kernel/index.js';
import type { Store } from '../../../store/index.js';
import { connectJetStream } from './connect.js';
import { JetStreamEventLog } from './jetstream-eventlog.js';
import type { RelayHooks } from './relay.js';
import type { JetStreamSettingsInput } from './settings.js';

export interface OpenJetStreamEventLogOptions {
  /** A migrated PostgreSQL store. */
  store: Store;
  /** `CROSSDOCK_BUS`: `nats://host:4222`, several separated by commas. */
  servers: string;
  catalog: EventCatalog;
  logger: Logger;
  clock?: Clock;
  processId?: string;
  settings?: JetStreamSettingsInput;
  /** Start-up attempts for NATS and for PostgreSQL before giving up with a clear error. */
  retries?: number;
  hooks?: RelayHooks;
}

/**
 * The factory the hub calls for `--bus nats://…`: checks PostgreSQL and NATS JetStream (bounded
 * retries, then CD_ERR_STORE_UNAVAILABLE / CD_ERR_BUS_UNAVAILABLE), then returns a log that owns
 * its connection (close() closes it).
 */
export async function openJetStreamEventLog(options: OpenJetStreamEventLogOptions): Promise<JetStreamEventLog> {
  const retries = options.retries ?? 10;
  if (options.store.dialect !== 'postgres') {
    throw Errors.config('the NATS JetStream event log needs a PostgreSQL store (CROSSDOCK_STORE=postgres://…)', { path: 'store' });
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await options.store.health();
      break;
    } catch (err) {
      if (attempt >= retries) throw err;
      options.logger.warn({ store: options.store.location, attempt, retries, err: errorMessage(err) }, 'PostgreSQL not reachable yet');
      await sleep(backoffMs(attempt, 200, 5_000));
    }
  }
  const connection = await connectJetStream(options.servers, { retries, logger: options.logger, name: options.processId ?? 'crossdock' });
  return new JetStreamEventLog({
    store: options.store,
    connection,
    catalog: options.catalog,
    logger: options.logger,
    ownsConnection: true,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.processId ? { processId: options.processId } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.hooks ? { hooks: options.hooks } : {}),
  });
}
