import { readFileSync } from 'node:fs';
import { createCanonicalEventCatalog, type EventType } from '../../canonical/index.js';
import { BudgetRegistry, CredentialVault, parseMasterKeys } from '../../connectors/sdk/index.js';
import type { EventLog } from '../../eventlog/index.js';
import { jetStreamSettingsSchema, openJetStreamEventLog, SqlEventLog } from '../../eventlog/index.js';
import { createGateway, type GatewayApp, Identity, QuotaService } from '../../gateway/index.js';
import { type Config, createLogger, Errors, Lifecycle, type Logger } from '../../kernel/index.js';
import { createMetrics } from '../../observability/index.js';
import { openStore, type Store } from '../../store/index.js';
import { lockDataDir } from './data-dir-lock.js';
import { type HubModule, type HubServices, hubModules } from './modules.js';
import { loadSecrets } from './secrets.js';

export interface Hub {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly eventlog: EventLog;
  readonly gateway: GatewayApp;
  readonly lifecycle: Lifecycle;
  readonly identity: Identity;
  /** Rate budgets of every connector instance; shared through the store across cluster processes. */
  readonly budgets: BudgetRegistry;
  /** What the hub's modules offer each other (availability, flows, timelines, …). */
  readonly services: HubServices;
  /** Where the gateway listens, e.g. http://127.0.0.1:7070 */
  readonly url: string;
  stop(): Promise<void>;
}

export interface StartHubOptions {
  logger?: Logger;
  /** Event types beyond the canonical catalog (tests, extensions). */
  eventTypes?: readonly EventType[];
  /** Wire SIGTERM/SIGINT to a graceful stop (the CLI does; tests do not). */
  handleSignals?: boolean;
  /** The modules to run; `hubModules` by default. */
  modules?: readonly HubModule[];
}

export function packageVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/**
 * Starts a hub from validated config: store (migrated), event log, gateway. Stop order is the
 * reverse: intake (gateway) first, then consumers finish their batch, then the store closes.
 */
export async function startHub(config: Config, options: StartHubOptions = {}): Promise<Hub> {
  const logger = options.logger ?? createLogger({ level: config.log.level });
  const lifecycle = new Lifecycle(logger, config.shutdownTimeoutMs);
  const embedded = config.store === 'sqlite' || config.store.startsWith('sqlite:');
  // Checked before anything is opened: a refusal must leave no connection or lock behind.
  const secrets = loadSecrets(config, embedded);
  const unlock = embedded ? lockDataDir(config.dataDir) : undefined;
  let store: Store | undefined;
  try {
    store = openStore(config.store, config.dataDir);
    const migrated = await store.migrate();
    logger.info({ store: store.location, applied: migrated.applied }, 'store ready');
  } catch (err) {
    await store?.close().catch(() => {});
    unlock?.();
    throw err;
  }
  const openedStore = store;
  lifecycle.onStop('data-dir-lock', () => unlock?.());
  lifecycle.onStop('store', () => openedStore.close());

  const modules = options.modules ?? hubModules;
  const catalog = createCanonicalEventCatalog([...(options.eventTypes ?? []), ...modules.flatMap((m) => m.eventTypes ?? [])]);
  let eventlog: EventLog;
  if (config.bus === 'embedded') {
    eventlog = new SqlEventLog({
      store: openedStore,
      catalog,
      logger: logger.child({ component: 'eventlog' }),
      defaultPartitions: config.eventlog.defaultPartitions,
      topicPartitions: Object.fromEntries(Object.entries(config.eventlog.topics).map(([t, v]) => [t, v.partitions])),
      retry: config.eventlog.retry,
      batchSize: config.eventlog.batchSize,
      pollIntervalMs: config.eventlog.pollIntervalMs,
    });
  } else {
    const settings = jetStreamSettingsSchema.safeParse({
      defaultPartitions: config.eventlog.defaultPartitions,
      topicPartitions: Object.fromEntries(Object.entries(config.eventlog.topics).map(([t, v]) => [t, v.partitions])),
      retry: config.eventlog.retry,
      batchSize: config.eventlog.batchSize,
      ...config.eventlog.cluster,
    });
    if (!settings.success) {
      const issue = settings.error.issues[0];
      await lifecycle.stop('bad cluster settings');
      throw Errors.config(`eventlog.cluster.${issue?.path.join('.')}: ${issue?.message}`, {
        path: `eventlog.cluster.${issue?.path.join('.')}`,
      });
    }
    try {
      const js = await openJetStreamEventLog({
        store: openedStore,
        servers: config.bus,
        catalog,
        logger: logger.child({ component: 'eventlog' }),
        settings: settings.data,
        retries: config.eventlog.startupRetries,
      });
      lifecycle.onStop('jetstream', () => js.close());
      eventlog = js;
    } catch (err) {
      await lifecycle.stop('bus unavailable');
      throw err;
    }
  }
  lifecycle.onStop('eventlog', () => eventlog.stop());

  const identity = new Identity({ store: openedStore, signingKey: secrets.tokenKey });
  const quotas = new QuotaService(openedStore);
  const budgets = new BudgetRegistry(embedded ? {} : { shared: openedStore });
  const metrics = createMetrics({ eventlog, store: openedStore });
  const version = packageVersion();
  const gateway = createGateway({
    logger,
    metrics,
    security: { identity, quotas, planOf: async (partnerId) => (await identity.partner(partnerId))?.plan ?? 'standard' },
    status: {
      version,
      readiness: async () => {
        const problems: string[] = [];
        if (lifecycle.isStopping) problems.push('shutting down');
        try {
          await openedStore.health();
        } catch (err) {
          problems.push(`store: ${(err as Error).message}`);
        }
        return problems;
      },
    },
  });
  const services: HubServices = {};
  const context = {
    config,
    logger,
    store: openedStore,
    eventlog,
    gateway,
    lifecycle,
    identity,
    quotas,
    budgets,
    metrics,
    embedded,
    vault: new CredentialVault(openedStore, parseMasterKeys(secrets.masterKeys)),
    services,
  };
  for (const module of modules) {
    try {
      await module.start(context);
    } catch (err) {
      await lifecycle.stop(`module ${module.name} failed to start`);
      throw err;
    }
  }
  await eventlog.start();
  try {
    await gateway.listen({ host: config.host, port: config.port });
  } catch (err) {
    await lifecycle.stop('gateway failed to listen');
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw Errors.config(`port ${config.port} on ${config.host} is already in use; choose another with --port`, { path: 'port' });
    }
    throw err;
  }
  lifecycle.onStop('gateway', () => gateway.close());
  const address = gateway.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  if (options.handleSignals) lifecycle.handleSignals();
  logger.info({ url, version, store: openedStore.location }, 'crossdock hub started');
  return {
    config,
    logger,
    store: openedStore,
    eventlog,
    gateway,
    lifecycle,
    identity,
    budgets,
    services,
    url,
    stop: () => lifecycle.stop(),
  };
}
