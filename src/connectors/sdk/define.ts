import { z } from 'zod';
import type { Envelope } from '../../canonical/index.js';
import { type Clock, type Logger, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';
import { Bindings } from './bindings.js';
import { type BreakerOptions, CircuitBreaker } from './breaker.js';
import type { BudgetFeedback, BudgetRegistry, BudgetSpec } from './budget.js';
import type { CaptureSink } from './capture.js';
import { ConnectorErrors } from './errors.js';
import { type AuthApplier, type HttpResponse, HttpTransport, type ResponseClassifier } from './http.js';
import type { PollPage } from './polling.js';
import type { Delivery, WebhookSpec } from './webhooks.js';

/** Everything an operation, trigger or credentials test gets. */
export interface ConnectorContext<S = unknown, C = unknown> {
  readonly connector: string;
  readonly instance: string;
  readonly settings: S;
  readonly credentials: C;
  readonly http: HttpTransport;
  readonly bindings: Bindings;
  readonly logger: Logger;
  readonly clock: Clock;
}

/** Credentials are their own unit: a schema, how they are applied to calls, and a cheap test call. */
export interface CredentialsSpec<C> {
  readonly kind: string;
  readonly schema: z.ZodType<C>;
  /** Builds the auth applier (it may fetch and cache tokens through `tokenHttp`). */
  applier(credentials: C, deps: { baseUrl: string; clock: Clock; tokenHttp: HttpTransport }): AuthApplier;
  /** Proves the credentials work; throws CD_ERR_CONNECTOR_AUTH when they do not. */
  test(ctx: ConnectorContext<unknown, C>): Promise<void>;
}

export function defineCredentials<C>(spec: CredentialsSpec<C>): CredentialsSpec<C> {
  return spec;
}

export interface OperationSpec<S, C, I, O> {
  /** `<resource>.<verb>`, e.g. `fulfillments.create`; one file per operation. */
  readonly name: string;
  readonly description: string;
  readonly input: z.ZodType<I>;
  run(ctx: ConnectorContext<S, C>, input: I): Promise<O>;
}

export function defineOperation<S, C, I, O>(spec: OperationSpec<S, C, I, O>): OperationSpec<S, C, I, O> {
  return spec;
}

export interface WebhookTrigger<S, C> {
  readonly kind: 'webhook';
  readonly spec: WebhookSpec;
  readonly topics: readonly string[];
  /** The signing secret, from the credentials. */
  secret(credentials: C): string;
  /** Maps a verified delivery to events; a CD_ERR_CONNECTOR_MAPPING error names the field. */
  map(delivery: Delivery, ctx: ConnectorContext<S, C>): Promise<Envelope[]> | Envelope[];
}

export interface PollingTrigger<S, C, T> {
  readonly kind: 'polling';
  readonly intervalMs: number;
  initialCursor(ctx: ConnectorContext<S, C>): string;
  poll(ctx: ConnectorContext<S, C>, cursor: string): Promise<PollPage<T>>;
  map(item: T, ctx: ConnectorContext<S, C>): Promise<Envelope[]> | Envelope[];
}

export interface TransportSpec {
  baseUrl: string;
  classify?: ResponseClassifier;
  feedback?: (response: HttpResponse<unknown>) => BudgetFeedback | undefined;
  secretHeaders?: readonly string[];
  defaultHeaders?: Record<string, string>;
  timeoutMs?: number;
  breaker?: BreakerOptions;
}

export interface ConnectorSpec<S, C> {
  /** Stable id: the folder name (`shopify`). */
  readonly id: string;
  /** The connector's own version (semver). */
  readonly version: string;
  /** The upstream API and version it speaks: `Shopify Admin GraphQL API 2025-01`. */
  readonly system: string;
  readonly description: string;
  readonly settings: z.ZodType<S>;
  readonly credentials: CredentialsSpec<C>;
  rateBudget(settings: S): BudgetSpec;
  transport(settings: S): TransportSpec;
  readonly capabilities: readonly string[];
  // Operations and triggers are heterogeneous in their input/item types; each is checked where it is defined.
  // biome-ignore lint/suspicious/noExplicitAny: an operation's input type is fixed by its own definition
  readonly operations: Readonly<Record<string, OperationSpec<S, C, any, unknown>>>;
  // biome-ignore lint/suspicious/noExplicitAny: a polling trigger's item type is fixed by its own definition
  readonly triggers: Readonly<Record<string, WebhookTrigger<S, C> | PollingTrigger<S, C, any>>>;
}

const declarationSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'semver x.y.z'),
  system: z.string().min(1),
  description: z.string().min(1),
  capabilities: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/, '<resource>.<verb>')),
});

/** Declares a connector; checks the declaration's static parts at once (a typo fails at start-up). */
export function defineConnector<S, C>(spec: ConnectorSpec<S, C>): ConnectorSpec<S, C> {
  const checked = declarationSchema.safeParse(spec);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new Error(`connector ${spec.id}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  for (const [key, op] of Object.entries(spec.operations)) {
    if (key !== op.name) throw new Error(`connector ${spec.id}: operation registered as ${key} is named ${op.name}`);
  }
  return spec;
}

export interface ConnectorDeps {
  store: Store;
  budgets: BudgetRegistry;
  logger: Logger;
  capture?: CaptureSink;
  clock?: Clock;
  /** Publishes mapped events in the transaction that recorded their source (webhook, poll). */
  publish(events: Envelope[], tx: Tx): Promise<void>;
}

export interface ConnectorInstance<S, C> {
  readonly spec: ConnectorSpec<S, C>;
  readonly ctx: ConnectorContext<S, C>;
  /** Runs an operation by name; its input is validated first (a bad field is a permanent error). */
  invoke(operation: string, input: unknown): Promise<unknown>;
  test(): Promise<void>;
  close(): Promise<void>;
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  throw ConnectorErrors.mapping(`${what} ${path || '(root)'}: ${issue?.message ?? 'invalid'}`, { path });
}

/** An instance: one configured account of a system (`shopify`/`store-eu`). */
export function createConnectorInstance<S, C>(
  spec: ConnectorSpec<S, C>,
  instance: string,
  rawSettings: unknown,
  rawCredentials: unknown,
  deps: ConnectorDeps,
): ConnectorInstance<S, C> {
  const settings = parseOrThrow(spec.settings, rawSettings, `${spec.id}/${instance} settings`);
  const credentials = (() => {
    const r = spec.credentials.schema.safeParse(rawCredentials);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    throw ConnectorErrors.credentials(`${spec.id}/${instance} credentials ${issue?.path.join('.')}: ${issue?.message}`, {
      path: issue?.path.join('.') ?? '',
    });
  })();
  const clock = deps.clock ?? systemClock;
  const target = `${spec.id}:${instance}`;
  const t = spec.transport(settings);
  const logger = deps.logger.child({ connector: spec.id, instance });
  const common = {
    baseUrl: t.baseUrl,
    logger,
    clock,
    ...(deps.capture ? { capture: deps.capture } : {}),
    ...(t.secretHeaders ? { secretHeaders: t.secretHeaders } : {}),
    ...(t.defaultHeaders ? { defaultHeaders: t.defaultHeaders } : {}),
    ...(t.timeoutMs !== undefined ? { timeoutMs: t.timeoutMs } : {}),
  };
  // Token endpoints are called rarely and must not wait behind API calls in the budget.
  const tokenHttp = new HttpTransport({
    ...common,
    target: `${target}:auth`,
    budget: deps.budgets.get(`${target}:auth`, { kind: 'unlimited' }),
  });
  const http = new HttpTransport({
    ...common,
    target,
    budget: deps.budgets.get(target, spec.rateBudget(settings)),
    breaker: new CircuitBreaker(target, t.breaker, clock),
    auth: spec.credentials.applier(credentials, { baseUrl: t.baseUrl, clock, tokenHttp }),
    ...(t.classify ? { classify: t.classify } : {}),
    ...(t.feedback ? { feedback: t.feedback } : {}),
  });
  const ctx: ConnectorContext<S, C> = {
    connector: spec.id,
    instance,
    settings,
    credentials,
    http,
    bindings: new Bindings(deps.store, clock),
    logger,
    clock,
  };
  return {
    spec,
    ctx,
    async invoke(operation, input) {
      const op = spec.operations[operation];
      if (!op) throw ConnectorErrors.rejected(`${spec.id} has no operation ${operation}`, { path: 'operation' });
      return op.run(ctx, parseOrThrow(op.input, input, `${spec.id} ${operation} input`));
    },
    test: () => spec.credentials.test(ctx),
    async close() {
      await http.close();
      await tokenHttp.close();
    },
  };
}
