import { createHmac, randomUUID } from 'node:crypto';
import type { Clock } from '../../kernel/index.js';
import type { OutboundWebhook } from '../kit/webhook-dispatcher.js';
import type { WebhookSubscriptionRecord } from './model.js';
import type { StoreEvent } from './store.js';

/** Base64 HMAC-SHA256 of the exact body bytes, keyed with the app's client secret (Shopify's scheme). */
export function signShopifyBody(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

export interface ShopifyWebhookContext {
  shopDomain: string;
  apiVersion: string;
  clientSecret: string;
  clock: Clock;
}

/**
 * One delivery per subscription of the event's topic. Every delivery of one event shares
 * X-Shopify-Event-Id; each subscription's delivery has its own X-Shopify-Webhook-Id, which retries and
 * duplicates keep (https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates).
 */
export function webhooksFor(
  event: StoreEvent,
  subscriptions: Iterable<WebhookSubscriptionRecord>,
  ctx: ShopifyWebhookContext,
): OutboundWebhook[] {
  const body = JSON.stringify(event.payload);
  const hmac = signShopifyBody(body, ctx.clientSecret);
  const eventId = randomUUID();
  const triggeredAt = new Date(ctx.clock.now()).toISOString();
  const out: OutboundWebhook[] = [];
  for (const subscription of subscriptions) {
    if (subscription.topic !== event.topic) continue;
    const webhookId = randomUUID();
    const headers = {
      'X-Shopify-Topic': event.topic,
      'X-Shopify-Hmac-Sha256': hmac,
      'X-Shopify-Shop-Domain': ctx.shopDomain,
      'X-Shopify-API-Version': ctx.apiVersion,
      'X-Shopify-Webhook-Id': webhookId,
      'X-Shopify-Triggered-At': triggeredAt,
      'X-Shopify-Event-Id': eventId,
    };
    out.push({ id: webhookId, topic: event.topic, url: subscription.address, body, headers: () => headers });
  }
  return out;
}
