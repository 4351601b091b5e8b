import type { EventType } from '../../canonical/index.js';
import type { BudgetRegistry } from '../../connectors/sdk/index.js';
import type { EventLog } from '../../eventlog/index.js';
import type { GatewayApp, Identity, QuotaService } from '../../gateway/index.js';
import type { Config, Lifecycle, Logger } from '../../kernel/index.js';
import type { HubMetrics } from '../../observability/index.js';
import type { Store } from '../../store/index.js';

/**
 * Services one hub module offers the others (availability to the flows, timelines to the console,
 * …). Each module adds its own optional field here and sets it in `start`; a module that needs
 * another's service lists that module before itself in `hubModules`.
 */
export interface HubServices {
  [name: string]: unknown;
}

/** What a module receives when the hub starts: the shared runtime, before the gateway listens. */
export interface HubContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly eventlog: EventLog;
  readonly gateway: GatewayApp;
  readonly lifecycle: Lifecycle;
  readonly identity: Identity;
  readonly quotas: QuotaService;
  readonly budgets: BudgetRegistry;
  readonly metrics: HubMetrics;
  /** True on the embedded store (SQLite, one process); false in cluster mode. */
  readonly embedded: boolean;
  readonly services: HubServices;
}

/**
 * A capability plugged into the hub (a domain service with its routes and consumers). `start`
 * registers routes on the gateway and subscriptions on the event log; the event log starts and the
 * gateway listens only after every module has started. Stop hooks go on `ctx.lifecycle`.
 */
export interface HubModule {
  readonly name: string;
  /** Event types this module publishes beyond the canonical catalog. */
  readonly eventTypes?: readonly EventType[];
  start(ctx: HubContext): Promise<void>;
}

/** The modules every hub runs, in start order. Append a module here to plug it in. */
export const hubModules: readonly HubModule[] = [];
