import { z } from 'zod';
import {
  type Envelope,
  InventoryAdjustedEvent,
  makeEvent,
  OrderCancelledEvent,
  OrderReleasedEvent,
  ReceiptPostedEvent,
  ShipmentDispatchedEvent,
  ShipmentExceptionEvent,
} from '../../canonical/index.js';
import { ConnectorErrors, type Delivery, header, hmacSha256, safeEqual, type WebhookSpec, type WebhookTrigger } from '../sdk/index.js';
import type { WmsCredentials } from './credentials.js';
import { REASON_FROM_WMS } from './mappers/inventory.js';
import { receiptFromWms } from './mappers/receipt.js';
import { exceptionShipmentFromWms, orderRef, shipmentFromWms } from './mappers/shipment.js';
import type { WmsSettings } from './settings.js';
import type { WmsContext } from './transport.js';
import { wmsAdjustmentSchema, wmsExceptionSchema, wmsOrderSchema, wmsReceiptSchema } from './wire.js';

export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * X-WMS-Signature: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>`. A signature
 * whose `t` is more than `toleranceSeconds` from now is refused, so a captured delivery cannot be
 * replayed later; X-WMS-Event-Id stays the same on retries and is the dedupe key.
 */
export function wmsWebhookSpec(toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): WebhookSpec {
  return {
    deliveryId: (headers) => header(headers, 'x-wms-event-id'),
    topic: (headers) => header(headers, 'x-wms-event-type') ?? 'unknown',
    verify(rawBody, headers, secret, now) {
      const signature = header(headers, 'x-wms-signature');
      if (!signature) return false;
      const parts = new Map(
        signature.split(',').map((part) => {
          const cut = part.indexOf('=');
          return [part.slice(0, cut).trim(), part.slice(cut + 1).trim()] as const;
        }),
      );
      const t = parts.get('t');
      const v1 = parts.get('v1');
      if (!t || !v1 || !/^\d{1,12}$/.test(t)) return false;
      if (Math.abs(now / 1000 - Number(t)) > toleranceSeconds) return false;
      const expected = hmacSha256(secret, Buffer.concat([Buffer.from(`${t}.`, 'utf8'), rawBody]), 'hex');
      return safeEqual(expected, v1);
    },
  };
}

export const WMS_TOPICS = [
  'order.released',
  'order.picked',
  'order.packed',
  'order.shipped',
  'order.cancelled',
  'order.exception',
  'inventory.adjusted',
  'receipt.completed',
] as const;

const deliverySchema = z.object({ id: z.string(), type: z.string(), created_at: z.string(), data: z.unknown() });

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  throw ConnectorErrors.mapping(`WMS ${what} data.${path}: ${issue?.message ?? 'invalid'}`, { path: `data.${path}` });
}

/** Maps one verified WMS event to canonical events. order.picked / order.packed have no canonical event yet. */
export function mapWmsDelivery(delivery: Delivery, ctx: WmsContext): Envelope[] {
  const event = parse(deliverySchema, delivery.body, delivery.topic);
  const now = ctx.clock.now();
  const common = { source: `crossdock://connector/wms/${ctx.instance}`, idempotencykey: `wms:${ctx.instance}:${delivery.deliveryId}` };
  const orderKey = (order: { id: string; reference: string }) => `order/${orderRef(order).id ?? order.reference}`;
  switch (event.type) {
    case 'order.released': {
      const order = parse(wmsOrderSchema, event.data, event.type);
      const key = orderKey(order);
      const data = {
        orderId: orderRef(order).id ?? order.id,
        location: { code: order.warehouse },
        releaseNumber: order.id,
        lineNumbers: order.lines.map((l) => String(l.line_no)),
      };
      return [makeEvent({ ...common, type: OrderReleasedEvent.type, subject: key, partitionkey: key, data }, now)];
    }
    case 'order.shipped': {
      const order = parse(wmsOrderSchema, event.data, event.type);
      const key = orderKey(order);
      return order.shipments.map((s) =>
        makeEvent(
          {
            ...common,
            type: ShipmentDispatchedEvent.type,
            subject: `shipment/${s.id}`,
            partitionkey: key,
            data: shipmentFromWms(order, s, ctx.instance),
          },
          now,
        ),
      );
    }
    case 'order.exception': {
      const data = parse(z.object({ order: wmsOrderSchema, exception: wmsExceptionSchema }), event.data, event.type);
      const shipment = exceptionShipmentFromWms(data.order, data.exception, ctx.instance);
      return [
        makeEvent(
          {
            ...common,
            type: ShipmentExceptionEvent.type,
            subject: `shipment/${shipment.id}`,
            partitionkey: orderKey(data.order),
            data: shipment,
          },
          now,
        ),
      ];
    }
    case 'order.cancelled': {
      const order = parse(wmsOrderSchema, event.data, event.type);
      const key = orderKey(order);
      const data = { orderId: orderRef(order).id ?? order.id, reasonCode: 'warehouse-cancelled', lineNumbers: [] };
      return [makeEvent({ ...common, type: OrderCancelledEvent.type, subject: key, partitionkey: key, data }, now)];
    }
    case 'receipt.completed': {
      const receipt = receiptFromWms(parse(wmsReceiptSchema, event.data, event.type), ctx.instance);
      const key = `receipt/${receipt.id}`;
      return [makeEvent({ ...common, type: ReceiptPostedEvent.type, subject: key, partitionkey: key, data: receipt }, now)];
    }
    case 'inventory.adjusted': {
      const a = parse(wmsAdjustmentSchema, event.data, event.type);
      const key = `inventory/${a.location}/${a.sku}`;
      const data = {
        item: { sku: a.sku },
        location: { code: a.location },
        delta: { value: String(a.quantity), uom: 'EA' },
        reasonCode: REASON_FROM_WMS[a.reason_code] ?? 'other',
        occurredAt: a.created_at,
        ...(a.note ? { note: a.note } : {}),
      };
      return [makeEvent({ ...common, type: InventoryAdjustedEvent.type, subject: key, partitionkey: key, data }, now)];
    }
    default:
      // order.picked / order.packed: recorded and deduplicated; the v1 catalog has no event for them.
      return [];
  }
}

export const wmsEventsTrigger: WebhookTrigger<WmsSettings, WmsCredentials> = {
  kind: 'webhook',
  spec: wmsWebhookSpec(),
  topics: WMS_TOPICS,
  secret: (credentials) => credentials.webhookSecret,
  map: mapWmsDelivery,
};
