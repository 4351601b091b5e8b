import type { ExceptionQueue } from '../../../domains/exceptions/index.js';
import {
  type DeliveryPolicy,
  type EventOwner,
  IdempotencyStore,
  type SecretSealer,
  WebhookDeliveries,
  WebhookSubscriptions,
  WebhookWorker,
  type WebhookWorkerOptions,
  webhookFanOut,
  webhookRoutes,
} from '../../../gateway/index.js';
import { AuditLog, installAuditHook } from '../../../observability/index.js';
import type { HubContext, HubModule } from '../modules.js';

/** The topics whose events may be sent to partners, beside every topic named in config. */
export const DEFAULT_WEBHOOK_TOPICS = ['orders', 'shipments', 'invoices', 'returns', 'inventory', 'purchasing'] as const;

/** The consumer group that turns events into deliveries (one per hub; partitions spread over processes). */
export const WEBHOOK_GROUP = 'webhooks';

export interface WebhooksAuditOptions {
  topics?: readonly string[];
  policy?: Partial<DeliveryPolicy>;
  pollMs?: number;
  concurrency?: number;
  owner?: EventOwner;
  /** Seals subscription secrets; the hub's master keys by default. */
  sealer?: SecretSealer;
}

/** What this module offers the others and tools. */
export interface WebhookServices {
  subscriptions: WebhookSubscriptions;
  deliveries: WebhookDeliveries;
  worker: WebhookWorker;
}

/**
 * The audit log (a service for every module, plus a hook recording each successful change through
 * the API) and outbound webhooks (routes, the fan-out consumer group, the delivery worker).
 */
export function createWebhooksAuditModule(options: WebhooksAuditOptions = {}): HubModule {
  return {
    name: 'webhooks-audit',
    async start(ctx: HubContext) {
      const audit = new AuditLog(ctx.store);
      ctx.services.audit = audit;
      installAuditHook(ctx.gateway, audit);

      const sealer = options.sealer ?? ctx.vault;
      const subscriptions = new WebhookSubscriptions(ctx.store, sealer);
      const deliveries = new WebhookDeliveries(ctx.store);
      const exceptions = ctx.services.exceptions;
      const worker = new WebhookWorker({
        store: ctx.store,
        subscriptions,
        logger: ctx.logger.child({ component: 'webhooks' }),
        ...(options.policy ? { policy: options.policy } : {}),
        ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        ...(exceptions ? { outcomes: deadDeliveryExceptions(exceptions, deliveries) } : {}),
      });
      ctx.services.exceptionActions?.register('replay-webhooks', async (a) => {
        if (a.kind !== 'replay-webhooks') return {};
        const replays = await deliveries.replayDead(a.subscriptionId);
        worker.wake();
        return { replayed: replays.map((r) => r.id) };
      });
      ctx.services.webhooks = { subscriptions, deliveries, worker };
      const wake = () => worker.wake();
      webhookRoutes(ctx.gateway, { subscriptions, deliveries, idempotency: new IdempotencyStore(ctx.store), onQueued: wake });
      const handler = webhookFanOut({ subscriptions, onQueued: wake, ...(options.owner ? { owner: options.owner } : {}) });
      const topics = new Set([...(options.topics ?? DEFAULT_WEBHOOK_TOPICS), ...Object.keys(ctx.config.eventlog.topics)]);
      for (const topic of topics) ctx.eventlog.subscribe({ group: WEBHOOK_GROUP, topic, handler });
      worker.start();
      ctx.lifecycle.onStop('webhooks', () => worker.stop());
    },
  };
}

/** The exception's cause: one open exception per subscription, however many of its deliveries died. */
const deadKey = (subscriptionId: string) => `webhook-dead:${subscriptionId}`;

/**
 * A dead delivery opens (or counts another occurrence of) an exception for the subscription, with a
 * retry that replays its dead deliveries; it closes by itself once every one of them was delivered.
 */
function deadDeliveryExceptions(exceptions: ExceptionQueue, deliveries: WebhookDeliveries): WebhookWorkerOptions['outcomes'] {
  return {
    async dead(d, tx) {
      await exceptions.raise(
        {
          category: 'webhook.delivery-dead',
          title: `Webhook deliveries to ${d.url} failed after ${d.attempts} attempts`,
          severity: 'medium',
          source: 'webhooks',
          subject: `webhook-subscription/${d.subscriptionId}`,
          dedupeKey: deadKey(d.subscriptionId),
          partner: d.partnerId,
          detail: {
            subscriptionId: d.subscriptionId,
            url: d.url,
            lastDelivery: d.id,
            eventId: d.eventId,
            eventType: d.eventType,
            lastStatus: d.statusCode,
            lastError: d.error,
          },
          actions: [{ kind: 'replay-webhooks', subscriptionId: d.subscriptionId }],
        },
        tx,
      );
    },
    async replayDelivered(d, tx) {
      if ((await deliveries.deadUnreplayed(d.subscriptionId, tx)).length > 0) return;
      await exceptions.clear(deadKey(d.subscriptionId), 'every dead delivery was replayed and delivered', tx);
    },
  };
}

/** The module as the hub runs it. */
export const webhooksAuditModule: HubModule = createWebhooksAuditModule();
