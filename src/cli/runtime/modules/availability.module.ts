import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { InventoryPositionInput } from '../../../canonical/index.js';
import { type BudgetRegistry, type ConnectorInstance, createConnectorInstance } from '../../../connectors/sdk/index.js';
import { INVENTORY_ITEM_REF, type ShopifyCredentials, type ShopifySettings, shopifyConnector } from '../../../connectors/shopify/index.js';
import {
  Availability,
  AvailabilityErrors,
  AvailabilityPublisher,
  type AvailabilityUpdate,
  availabilityEventTypes,
  type ChannelSink,
  type ExceptionInput,
  loadPolicies,
} from '../../../domains/availability/index.js';
import { availabilityRoutes } from '../../../gateway/index.js';
import { type Clock, errorMessage, type Logger, systemClock } from '../../../kernel/index.js';
import { type LeaderHandle, PostgresLeaderElection, type Store } from '../../../store/index.js';
import type { HubContext, HubModule } from '../modules.js';

/** The policy file a hub reads when no other is named (beside crossdock.config.yaml). */
export const DEFAULT_AVAILABILITY_FILE = 'crossdock.availability.yaml';

/** The topics the ledger follows unless the file names others. */
export const DEFAULT_AVAILABILITY_TOPICS = ['inventory', 'receipts', 'shipments', 'asns'];

/** `env:NAME` takes the value from the environment, so secrets need not sit in the file. */
const Secret = z.string().min(1);

/** A channel's publication target: a Shopify store through the Shopify connector. */
export const ShopifyTarget = z.strictObject({
  connector: z.literal('shopify'),
  /** The connector instance name (its rate budget is `shopify:<instance>`). */
  instance: z.string().min(1).default('default'),
  settings: z.record(z.string(), z.unknown()),
  credentials: z.strictObject({ accessToken: Secret, clientSecret: Secret }),
  /** Shopify location id for each of the channel's locations (per-location publication); else settings.defaultLocationId. */
  locations: z.record(z.string(), z.string().min(1)).default({}),
  /** Shopify InventoryItem id by SKU, saving a lookup per item; items not listed are found by SKU. */
  items: z.record(z.string(), z.string().min(1)).default({}),
});
export type ShopifyTarget = z.infer<typeof ShopifyTarget>;

/** The availability file: policies (docs/availability.md), the topics to follow, and where each channel is published. */
export const AvailabilityFile = z.strictObject({
  policy: z.unknown(),
  /**
   * Topics carrying inventory, ASN, receipt and shipment events: where the flows and the warehouse
   * connectors put them (`inventory`, `receipts`, `shipments`) and where EDI puts ASNs and
   * shipments (`asn`, `shipment`).
   */
  topics: z.array(z.string().min(1)).min(1).default(DEFAULT_AVAILABILITY_TOPICS),
  /** Cluster mode: how often each process reads other processes' changes into its memory. */
  followIntervalMs: z.number().int().min(10).max(60_000).default(250),
  publish: z.record(z.string(), ShopifyTarget).default({}),
});
export type AvailabilityFile = z.infer<typeof AvailabilityFile>;
export type AvailabilityFileInput = z.input<typeof AvailabilityFile>;

/** Parses an availability file's content; a bad field fails naming its path. */
export function parseAvailabilityFile(raw: unknown, where: string): AvailabilityFile {
  const parsed = AvailabilityFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw AvailabilityErrors.policy(`${where} ${path || '(root)'}: ${issue?.message ?? 'invalid'}`, { path });
  }
  return parsed.data;
}

/**
 * The file to read: `--availability`-style explicit path, else CROSSDOCK_AVAILABILITY, else
 * crossdock.availability.yaml in the working directory when it exists.
 */
export function availabilityFilePath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = explicit ?? env.CROSSDOCK_AVAILABILITY;
  if (named !== undefined && named !== '') {
    const file = resolve(named);
    if (!existsSync(file)) throw AvailabilityErrors.policy(`availability file ${file} does not exist`, { path: 'file' });
    return file;
  }
  const fallback = resolve(DEFAULT_AVAILABILITY_FILE);
  return existsSync(fallback) ? fallback : undefined;
}

export function readAvailabilityFile(file: string): AvailabilityFile {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw AvailabilityErrors.policy(`availability file ${file} is not valid YAML: ${errorMessage(err)}`, { path: 'file' });
  }
  return parseAvailabilityFile(raw, file);
}

function secret(value: string, path: string, env: NodeJS.ProcessEnv): string {
  if (!value.startsWith('env:')) return value;
  const name = value.slice(4);
  const found = env[name];
  if (found === undefined || found === '') throw AvailabilityErrors.policy(`${path}: environment variable ${name} is not set`, { path });
  return found;
}

/** The Shopify connector instance a channel publishes through, sharing the hub's budgets. */
export function shopifyInstance(
  channel: string,
  target: ShopifyTarget,
  deps: { store: Store; budgets: BudgetRegistry; logger: Logger; clock?: Clock },
  env: NodeJS.ProcessEnv = process.env,
): ConnectorInstance<ShopifySettings, ShopifyCredentials> {
  const path = `publish.${channel}.credentials`;
  return createConnectorInstance(
    shopifyConnector,
    target.instance,
    target.settings,
    {
      accessToken: secret(target.credentials.accessToken, `${path}.accessToken`, env),
      clientSecret: secret(target.credentials.clientSecret, `${path}.clientSecret`, env),
    },
    {
      store: deps.store,
      budgets: deps.budgets,
      logger: deps.logger,
      ...(deps.clock ? { clock: deps.clock } : {}),
      // Inventory writes publish nothing; only triggers (webhooks, polls) would.
      publish: async () => {},
    },
  );
}

/** Shopify's inventorySetQuantities takes at most 250 quantities per call. */
const SHOPIFY_SET_MAX = 250;

/**
 * A channel sink writing `available` absolutely (inventorySetQuantities without compare): the figure
 * is crossdock's truth for the channel, and an absolute set lands the same however often it is sent.
 */
export function shopifySink(
  instance: ConnectorInstance<ShopifySettings, ShopifyCredentials>,
  target: ShopifyTarget,
  clock: Clock,
): ChannelSink {
  return {
    async push(updates: AvailabilityUpdate[]) {
      const asOf = new Date(clock.now()).toISOString();
      for (let i = 0; i < updates.length; i += SHOPIFY_SET_MAX) {
        const entries = updates.slice(i, i + SHOPIFY_SET_MAX).map((u) => {
          const shopifyLocation = u.location !== undefined ? target.locations[u.location] : undefined;
          const itemRef = target.items[u.item];
          const position: InventoryPositionInput = {
            id: `availability:${u.item}:${u.location ?? 'all'}`.replace(/[^A-Za-z0-9._:/-]/g, '-'),
            item: { sku: u.item, ...(itemRef !== undefined ? { refs: { [INVENTORY_ITEM_REF]: itemRef } } : {}) },
            location:
              shopifyLocation !== undefined ? { code: u.location, refs: { shopify: shopifyLocation } } : { code: u.location ?? 'all' },
            asOf,
            onHand: { value: String(u.available), uom: 'EA' },
            reportedAvailable: { value: String(u.available), uom: 'EA' },
          };
          return { position };
        });
        await instance.invoke('inventory.set', { entries, quantityName: 'available', ignoreCompareQuantity: true });
      }
    },
  };
}

export interface AvailabilityModuleOptions {
  /** The availability file; by default CROSSDOCK_AVAILABILITY or ./crossdock.availability.yaml. */
  file?: string;
  /** The file's content given directly (tests, embedding). */
  setup?: AvailabilityFileInput;
  env?: NodeJS.ProcessEnv;
}

/** Builds the sinks and the publisher for every channel the file publishes. */
export function buildPublisher(
  availability: Availability,
  setup: AvailabilityFile,
  deps: { store: Store; budgets: BudgetRegistry; logger: Logger; clock?: Clock; env?: NodeJS.ProcessEnv },
): { publisher: AvailabilityPublisher; close(): Promise<void> } | undefined {
  const channels = Object.entries(setup.publish);
  if (channels.length === 0) return undefined;
  const clock = deps.clock ?? systemClock;
  const instances: Array<ConnectorInstance<ShopifySettings, ShopifyCredentials>> = [];
  const sinks: Record<string, ChannelSink> = {};
  const budgets: Record<string, ReturnType<BudgetRegistry['get']>> = {};
  for (const [channel, target] of channels) {
    const policy = availability.policies.channel(channel);
    if (!policy) throw AvailabilityErrors.policy(`publish.${channel}: no channel ${channel} in the policy`, { path: `publish.${channel}` });
    const instance = shopifyInstance(channel, target, deps, deps.env);
    instances.push(instance);
    sinks[channel] = shopifySink(instance, target, clock);
    const budget = policy.publish?.budget ?? { perSecond: 2, burst: 4 };
    // Through the hub's registry: in cluster mode a token-bucket budget is shared by every process.
    budgets[channel] = deps.budgets.get(`availability:${channel}`, {
      kind: 'token-bucket',
      perSecond: budget.perSecond,
      burst: budget.burst,
    });
  }
  const publisher = new AvailabilityPublisher({ availability, sinks, budgets, clock, logger: deps.logger });
  return {
    publisher,
    async close() {
      for (const i of instances) await i.close();
    },
  };
}

function exceptionTitle(e: ExceptionInput): string {
  const detail = e.detail;
  if (e.category.startsWith('availability.negative-')) {
    const bucket = e.category.slice('availability.negative-'.length);
    return `${bucket} of ${e.item} at ${e.location} went negative (${String(detail.after)}) after ${String(detail.kind)} from ${String(detail.source)}`;
  }
  return typeof detail.message === 'string' ? detail.message : `${e.category} (event ${e.eventId})`;
}

function resolveSetup(options: AvailabilityModuleOptions): { setup: AvailabilityFile; where: string } | undefined {
  if (options.setup !== undefined) return { setup: parseAvailabilityFile(options.setup, 'availability setup'), where: 'options' };
  const file = availabilityFilePath(options.file, options.env);
  return file === undefined ? undefined : { setup: readAvailabilityFile(file), where: file };
}

/**
 * The availability service in the hub (ARCHITECTURE §7): its ledger follows the inventory, ASN,
 * receipt and shipment topics; GET /v1/availability and POST /v1/availability/promise answer from
 * memory (scope availability:read); `services.availability` lets the order flows reserve, release
 * and commit; channels configured under `publish` receive changes (one publisher per cluster).
 */
export function createAvailabilityModule(options: AvailabilityModuleOptions = {}): HubModule {
  return {
    name: 'availability',
    eventTypes: availabilityEventTypes,
    async start(ctx: HubContext) {
      const logger = ctx.logger.child({ component: 'availability' });
      const resolved = resolveSetup(options);
      if (!resolved) {
        logger.info(`no ${DEFAULT_AVAILABILITY_FILE} (or CROSSDOCK_AVAILABILITY): availability is off`);
        return;
      }
      const { setup, where } = resolved;
      const policies = loadPolicies(setup.policy);
      const queue = ctx.services.exceptions;
      const availability = await Availability.open({
        store: ctx.store,
        policies,
        // Operations see negative stock and lost ASNs in the exception queue, with their cause.
        ...(queue
          ? {
              exceptions: async (e, event, tx) => {
                await queue.raise(
                  {
                    category: e.category,
                    title: exceptionTitle(e),
                    detail: { ...e.detail, item: e.item, location: e.location, eventId: e.eventId, eventType: event.type },
                    severity: 'high',
                    source: event.source,
                    subject: e.item === '*' ? `event/${e.eventId}` : `item/${e.item}@${e.location}`,
                    dedupeKey: `${e.category}:${e.item}:${e.location}`,
                    ...(e.location !== '*' ? { warehouse: e.location } : {}),
                    correlationid: event.correlationid,
                  },
                  tx,
                );
              },
            }
          : {}),
      });
      for (const topic of setup.topics) ctx.eventlog.subscribe(availability.subscription(topic));
      availabilityRoutes(ctx.gateway, { availability });
      ctx.services.availability = availability;
      if (!ctx.embedded) {
        const stopFollowing = availability.followStore(setup.followIntervalMs, (err) =>
          logger.warn({ err: errorMessage(err) }, 'availability catch-up failed'),
        );
        ctx.lifecycle.onStop('availability-follow', stopFollowing);
      }
      const built = buildPublisher(availability, setup, {
        store: ctx.store,
        budgets: ctx.budgets,
        logger,
        ...(options.env ? { env: options.env } : {}),
      });
      if (built) {
        const { publisher } = built;
        let leader: LeaderHandle | undefined;
        if (ctx.embedded) publisher.start();
        else {
          // One process pushes to the channels; the others stand by and take over if it goes.
          leader = new PostgresLeaderElection({ url: ctx.config.store, logger }).runAsLeader(
            `availability-publisher ${ctx.config.store}`,
            async (signal) => {
              await availability.catchUp();
              publisher.start();
              await new Promise<void>((done) => signal.addEventListener('abort', () => done(), { once: true }));
              await publisher.stop();
            },
          );
        }
        ctx.lifecycle.onStop('availability-publisher', async () => {
          if (leader) await leader.stop();
          else await publisher.stop();
          await built.close();
        });
      }
      logger.info(
        { file: where, channels: policies.channels(), topics: setup.topics, publish: Object.keys(setup.publish) },
        'availability ready',
      );
    },
  };
}

/** The module the hub runs by default. */
export const availabilityModule = createAvailabilityModule();
