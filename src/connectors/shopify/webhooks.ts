import { CreditMemoPostedEvent, type Envelope, makeEvent, OrderCancelledEvent, OrderReceivedEvent } from '../../canonical/index.js';
import { type Delivery, header, hmacSha256, safeEqual, type WebhookSpec, type WebhookTrigger } from '../sdk/index.js';
import type { ShopifyCredentials } from './credentials.js';
import { parseJsonKeepingBigIds } from './mappers/json.js';
import { salesOrderFromShopify } from './mappers/order.js';
import { cancellationFromShopify, creditMemoFromShopifyRefund } from './mappers/refund.js';
import type { ShopifySettings } from './settings.js';
import type { ShopifyContext } from './transport.js';

/**
 * https://shopify.dev/docs/apps/build/webhooks/subscribe/https — the body is signed with the app's
 * client secret (base64 HMAC-SHA256 in X-Shopify-Hmac-Sha256); X-Shopify-Webhook-Id is the same on
 * every retry of a delivery, so it is the dedupe key.
 */
export const shopifyWebhookSpec: WebhookSpec = {
  deliveryId: (headers) => header(headers, 'x-shopify-webhook-id'),
  topic: (headers) => header(headers, 'x-shopify-topic') ?? 'unknown',
  verify(rawBody, headers, secret) {
    const given = header(headers, 'x-shopify-hmac-sha256');
    return given !== undefined && safeEqual(hmacSha256(secret, rawBody, 'base64'), given);
  },
};

export const SHOPIFY_ORDER_TOPICS = ['orders/create', 'orders/updated', 'orders/cancelled', 'refunds/create'] as const;

function source(ctx: ShopifyContext): string {
  return `crossdock://connector/shopify/${ctx.instance}`;
}

/** Maps one verified delivery to canonical events (ids are read from the raw bytes so none is rounded). */
export function mapShopifyDelivery(delivery: Delivery, ctx: ShopifyContext): Envelope[] {
  const body = parseJsonKeepingBigIds(delivery.rawBody.toString('utf8'));
  const now = ctx.clock.now();
  const common = { source: source(ctx), idempotencykey: `shopify:${ctx.instance}:${delivery.deliveryId}` };
  switch (delivery.topic) {
    case 'orders/create': {
      const order = salesOrderFromShopify(body, ctx.instance);
      const key = `order/${order.id}`;
      return [makeEvent({ ...common, type: OrderReceivedEvent.type, subject: key, partitionkey: key, data: order }, now)];
    }
    case 'orders/cancelled': {
      const cancelled = cancellationFromShopify(body, ctx.instance);
      const key = `order/${cancelled.orderId}`;
      return [makeEvent({ ...common, type: OrderCancelledEvent.type, subject: key, partitionkey: key, data: cancelled }, now)];
    }
    case 'refunds/create': {
      const memo = creditMemoFromShopifyRefund(body, ctx.instance);
      const key = memo.order?.id ? `order/${memo.order.id}` : `creditmemo/${memo.id}`;
      return [
        makeEvent({ ...common, type: CreditMemoPostedEvent.type, subject: `creditmemo/${memo.id}`, partitionkey: key, data: memo }, now),
      ];
    }
    default:
      // orders/updated: the canonical catalog v1 has no order-changed event yet. The delivery is still
      // verified, deduplicated and recorded with its raw body, so it can be replayed once one exists.
      return [];
  }
}

export const shopifyOrdersTrigger: WebhookTrigger<ShopifySettings, ShopifyCredentials> = {
  kind: 'webhook',
  spec: shopifyWebhookSpec,
  topics: SHOPIFY_ORDER_TOPICS,
  secret: (credentials) => credentials.clientSecret,
  map: mapShopifyDelivery,
};
