import type { EventType } from '../../canonical/index.js';
import type { BudgetRegistry, CredentialVault } from '../../connectors/sdk/index.js';
import type { Availability } from '../../domains/availability/index.js';
import type { ExceptionActions, ExceptionQueue } from '../../domains/exceptions/index.js';
import type { DocumentStore } from '../../domains/orders/index.js';
import type { EdiRuntime } from '../../edi/index.js';
import type { EventLog } from '../../eventlog/index.js';
import type { FlowPorts } from '../../flows/index.js';
import type { GatewayApp, Identity, QuotaService } from '../../gateway/index.js';
import type { Config, Lifecycle, Logger } from '../../kernel/index.js';
import type { AuditLog, HubMetrics, SlaClocks, TimelineService } from '../../observability/index.js';
import type { Store } from '../../store/index.js';
import { apiModule } from './modules/api.module.js';
import { availabilityModule } from './modules/availability.module.js';
import { consoleModule } from './modules/console.module.js';
import { type DemoService, demoModule } from './modules/demo.module.js';
import { ediModule } from './modules/edi.module.js';
import { type FlowsService, flowsModule } from './modules/flows.module.js';
import { observabilityModule } from './modules/observability.module.js';
import { type ProcurementService, type ProcurementWiring, p2pR2cModule } from './modules/p2p-r2c.module.js';
import { type WebhookServices, webhooksAuditModule } from './modules/webhooks-audit.module.js';

/**
 * Services one hub module offers the others (availability to the flows, timelines to the console,
 * …). Each module adds its own optional field here and sets it in `start`; a module that needs
 * another's service lists that module before itself in `hubModules`.
 */
export interface HubServices {
  [name: string]: unknown;
  /** Available to promise: reserve, release and commit for the order flows (set by the availability module). */
  availability?: Availability;
  /** The audit log: `record(entry, tx?)` appends to the hash chain (set by the webhooks-audit module). */
  audit?: AuditLog;
  /** Outbound webhook subscriptions, delivery log and worker (set by the webhooks-audit module). */
  webhooks?: WebhookServices;
  /** EDI trading partners: inbox polling, outbound documents, acknowledgement ledger (set by the edi module when partners are configured). */
  edi?: EdiRuntime;
  /** The workflow engine, master data and order-to-cash (set by the flows module). */
  flows?: FlowsService;
  /** The ERP, warehouse, CRM and channel ports the flows run on (set by a module before flows, e.g. the demo). */
  flowPorts?: FlowPorts;
  /** The partner document store (orders, shipments, invoices, …) the /v1 API serves (set by the api module). */
  documents?: DocumentStore;
  /** Order, purchase order and return timelines: `forOrder(id)`, `search(key)` (set by the observability module). */
  timelines?: TimelineService;
  /** The exception queue, with owner rules and default SLAs from config (set by the observability module). */
  exceptions?: ExceptionQueue;
  /** Operator actions on exceptions; `register('retry-flow', handler)` plugs in a runner (set by the observability module). */
  exceptionActions?: ExceptionActions;
  /** SLA clocks per partner and milestone (set by the observability module). */
  sla?: SlaClocks;
  /** What procure-to-pay and return-to-credit run on (set by a module before procurement-returns, e.g. the demo). */
  procurementWiring?: ProcurementWiring;
  /** Procure-to-pay, replenishment and return-to-credit on the flows engine (set by the procurement-returns module). */
  procurement?: ProcurementService;
  /** The demo network, its traffic generator and live counts (set by the demo module with --demo). */
  demo?: DemoService;
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
  /** Secrets at rest under the hub's master keys: connector credentials, webhook secrets, SFTP keys. */
  readonly vault: CredentialVault;
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
// observability runs first: it instruments the event log before others subscribe and offers `exceptions` to them.
export const hubModules: readonly HubModule[] = [
  observabilityModule,
  availabilityModule,
  webhooksAuditModule,
  ediModule,
  apiModule,
  demoModule,
  flowsModule,
  p2pR2cModule,
  consoleModule,
];
