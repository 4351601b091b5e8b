import { z } from 'zod';
import { defineEventType, type Envelope } from '../../canonical/index.js';
import type { EntityKind } from '../config.js';
import { firstText, isRecord, list, refPairs, text } from './fields.js';

/**
 * A milestone reported directly (for steps no canonical event marks: picked, matched, EDI 997
 * received…). Flows and connectors publish it on the `milestones` topic.
 */
export const MilestoneRecordedEvent = defineEventType({
  type: 'crossdock.milestone.recorded.v1',
  description: 'A business milestone of an order, purchase order or return, with the system that reached it.',
  schema: z.strictObject({
    kind: z.enum(['order', 'purchaseorder', 'return']),
    id: z.string().min(1).max(300),
    milestone: z.string().regex(/^[a-z][a-z0-9-]*$/),
    system: z.string().min(1).max(200).optional(),
    /** When it happened (RFC 3339); the envelope's time when absent. */
    at: z.string().optional(),
    /** Business keys to index: {type -> value}, e.g. {"edi-control": "000000905"}. */
    keys: z.record(z.string(), z.string().min(1).max(300)).default({}),
    partner: z.string().optional(),
    channel: z.string().optional(),
    warehouse: z.string().optional(),
    detail: z.record(z.string(), z.unknown()).default({}),
  }),
});

/** A reference to an entity: its canonical id, or only a business key to resolve through the index. */
export type EntityRef = { kind: EntityKind; id: string } | { kind: EntityKind; key: string };

/** One milestone an event means for one entity. */
export interface ExtractedMilestone {
  entity: EntityRef;
  milestone: string;
  system: string;
  at: number;
  keys: Array<{ type: string; value: string }>;
  label?: string;
  partner?: string;
  channel?: string;
  warehouse?: string;
  detail: Record<string, unknown>;
}

/** Which milestone each canonical event type marks, and for which kind of entity. */
const EVENT_MILESTONES: Record<string, { kind: EntityKind; milestone: string }> = {
  'crossdock.order.received.v1': { kind: 'order', milestone: 'received' },
  'crossdock.order.accepted.v1': { kind: 'order', milestone: 'accepted' },
  'crossdock.order.rejected.v1': { kind: 'order', milestone: 'rejected' },
  'crossdock.order.allocated.v1': { kind: 'order', milestone: 'allocated' },
  'crossdock.order.backordered.v1': { kind: 'order', milestone: 'backordered' },
  'crossdock.order.booked.v1': { kind: 'order', milestone: 'booked' },
  'crossdock.order.released.v1': { kind: 'order', milestone: 'released' },
  'crossdock.order.shipped.v1': { kind: 'order', milestone: 'shipped' },
  'crossdock.order.invoiced.v1': { kind: 'order', milestone: 'invoiced' },
  'crossdock.order.cancelled.v1': { kind: 'order', milestone: 'cancelled' },
  'crossdock.shipment.dispatched.v1': { kind: 'order', milestone: 'shipped' },
  'crossdock.shipment.delivered.v1': { kind: 'order', milestone: 'delivered' },
  'crossdock.shipment.exception.v1': { kind: 'order', milestone: 'shipment-exception' },
  'crossdock.invoice.posted.v1': { kind: 'order', milestone: 'invoiced' },
  'crossdock.purchaseorder.created.v1': { kind: 'purchaseorder', milestone: 'created' },
  'crossdock.purchaseorder.sent.v1': { kind: 'purchaseorder', milestone: 'sent' },
  'crossdock.purchaseorder.acknowledged.v1': { kind: 'purchaseorder', milestone: 'acknowledged' },
  'crossdock.asn.received.v1': { kind: 'purchaseorder', milestone: 'asn' },
  'crossdock.receipt.posted.v1': { kind: 'purchaseorder', milestone: 'received' },
  'crossdock.return.requested.v1': { kind: 'return', milestone: 'requested' },
  'crossdock.return.authorized.v1': { kind: 'return', milestone: 'authorized' },
  'crossdock.return.received.v1': { kind: 'return', milestone: 'received' },
  'crossdock.creditmemo.posted.v1': { kind: 'return', milestone: 'credited' },
};

/** Event types the projection reads. */
export const MILESTONE_EVENT_TYPES: readonly string[] = [...Object.keys(EVENT_MILESTONES), MilestoneRecordedEvent.type];

/** The system that emitted an event, from its source: `crossdock://connector/shopify/store-eu` -> `shopify`. */
export function systemOf(source: string): string {
  const m = /^[a-z]+:\/\/([^/]+)\/([^/]+)/.exec(source);
  if (!m) return source;
  if (m[1] === 'connector' || m[1] === 'edi' || m[1] === 'sim') return m[2] ?? source;
  return `${m[1]}/${m[2]}`;
}

function eventTime(envelope: Envelope, override?: string): number {
  const t = Date.parse(override ?? envelope.time);
  return Number.isNaN(t) ? Date.parse(envelope.time) : t;
}

function locationKey(v: unknown, path: string): string | undefined {
  return firstText(v, [`${path}.code`, `${path}.id`, `${path}.gln`, `${path}.name`]);
}

function partyKey(v: unknown, path: string): string | undefined {
  return firstText(v, [`${path}.number`, `${path}.id`, `${path}.gln`, `${path}.duns`, `${path}.name`]);
}

/** Refs of a DocumentRef-like value: the id when known, else its number as a key. */
function docRefs(kind: EntityKind, values: unknown[]): EntityRef[] {
  const out: EntityRef[] = [];
  for (const v of values) {
    const id = text(v, 'id');
    const number = text(v, 'number');
    if (id) out.push({ kind, id });
    else if (number) out.push({ kind, key: number });
  }
  return out;
}

/** The milestones an event marks (none for events the timeline does not follow). */
export function extractMilestones(envelope: Envelope): ExtractedMilestone[] {
  const data = envelope.data;
  if (envelope.type === MilestoneRecordedEvent.type) {
    const parsed = MilestoneRecordedEvent.schema.safeParse(data);
    if (!parsed.success) return [];
    const m = parsed.data;
    return [
      {
        entity: { kind: m.kind, id: m.id },
        milestone: m.milestone,
        system: m.system ?? systemOf(envelope.source),
        at: eventTime(envelope, m.at),
        keys: Object.entries(m.keys).map(([type, value]) => ({ type, value })),
        ...(m.partner ? { partner: m.partner } : {}),
        ...(m.channel ? { channel: m.channel } : {}),
        ...(m.warehouse ? { warehouse: m.warehouse } : {}),
        detail: m.detail,
      },
    ];
  }
  const spec = EVENT_MILESTONES[envelope.type];
  if (!spec || !isRecord(data)) return [];
  const base = { milestone: spec.milestone, system: systemOf(envelope.source), at: eventTime(envelope) };
  const keys: Array<{ type: string; value: string }> = [];
  const addKey = (type: string, value: string | undefined) => {
    if (value) keys.push({ type, value });
  };
  for (const [system, id] of refPairs(data)) addKey(system, id);
  if (envelope.idempotencykey && /edi/.test(envelope.source)) addKey('edi-control', envelope.idempotencykey);
  const detail: Record<string, unknown> = {};
  let entities: EntityRef[] = [];
  let label: string | undefined;
  let partner: string | undefined;
  let channel: string | undefined;
  let warehouse: string | undefined;

  const type = envelope.type.replace(/^crossdock\./, '').replace(/\.v\d+$/, '');
  if (type.startsWith('order.')) {
    const id = firstText(data, ['orderId', 'id']);
    if (id) entities = [{ kind: 'order', id }];
    label = firstText(data, ['orderNumber', 'channelOrderId']);
    addKey('order-number', text(data, 'orderNumber'));
    addKey('channel-order-id', text(data, 'channelOrderId'));
    addKey('customer-po', text(data, 'customerPoNumber'));
    channel = text(data, 'channel');
    partner = partyKey(data, 'customer');
    warehouse = locationKey(data, 'location') ?? locationKey(data, 'shipFrom');
    if (type === 'order.booked') {
      base.system = text(data, 'system') ?? base.system;
      addKey('erp-id', text(data, 'externalId'));
      detail.externalId = text(data, 'externalId');
    }
    if (type === 'order.shipped') detail.complete = data.complete;
    if (type === 'order.rejected') detail.reasons = data.reasons;
    if (type === 'order.invoiced') addKey('invoice-number', text(data, 'invoiceNumber'));
  } else if (type.startsWith('shipment.')) {
    entities = docRefs('order', list(data, 'orders'));
    addKey('shipment-number', text(data, 'shipmentNumber'));
    for (const t of list(data, 'trackingNumbers')) if (typeof t === 'string') addKey('tracking-number', t);
    for (const p of list(data, 'packages')) addKey('tracking-number', text(p, 'trackingNumber'));
    warehouse = locationKey(data, 'shipFrom');
    detail.carrier = text(data, 'carrier.name') ?? text(data, 'carrier.code');
    if (type === 'shipment.exception') detail.exception = data.exception;
  } else if (type === 'invoice.posted') {
    entities = docRefs('order', list(data, 'orders'));
    addKey('invoice-number', text(data, 'invoiceNumber'));
  } else if (type.startsWith('purchaseorder.')) {
    if (type === 'purchaseorder.acknowledged') {
      entities = docRefs('purchaseorder', [data.order]);
      partner = partyKey(data, 'from');
      addKey('ack-number', text(data, 'ackNumber'));
      detail.status = text(data, 'status');
    } else {
      const id = text(data, 'id');
      if (id) entities = [{ kind: 'purchaseorder', id }];
      label = text(data, 'poNumber');
      addKey('po-number', text(data, 'poNumber'));
      partner = partyKey(data, 'supplier');
      warehouse = locationKey(data, 'shipTo');
    }
  } else if (type === 'asn.received') {
    entities = docRefs(
      'purchaseorder',
      list(data, 'orders').map((o) => (isRecord(o) ? o.order : undefined)),
    );
    addKey('asn-number', text(data, 'asnNumber'));
    addKey('tracking-number', text(data, 'proNumber'));
    for (const o of list(data, 'orders')) for (const p of list(o, 'packs')) addKey('tracking-number', text(p, 'trackingNumber'));
    partner = partyKey(data, 'shipper');
    warehouse = locationKey(data, 'shipTo');
  } else if (type === 'receipt.posted') {
    entities = docRefs('purchaseorder', list(data, 'orders'));
    if (entities.length === 0)
      entities = docRefs(
        'purchaseorder',
        list(data, 'lines').map((l) => (isRecord(l) ? l.order : undefined)),
      );
    addKey('receipt-number', text(data, 'receiptNumber'));
    partner = partyKey(data, 'supplier');
    warehouse = locationKey(data, 'location');
  } else if (type.startsWith('return.')) {
    const id = text(data, 'id');
    if (id) entities = [{ kind: 'return', id }];
    label = text(data, 'rmaNumber');
    addKey('rma-number', text(data, 'rmaNumber'));
    partner = partyKey(data, 'customer');
  } else if (type === 'creditmemo.posted') {
    entities = docRefs(
      'return',
      [data.returnAuthorization, data.return].filter((v) => v !== undefined),
    );
    addKey('credit-memo-number', text(data, 'creditMemoNumber'));
  }
  if (entities.length === 0 && envelope.subject) {
    // `order/SO-1` as the last resort: the subject names the business key.
    const m = /^([a-z]+)\/(.+)$/.exec(envelope.subject);
    if (m?.[2] && m[1] === spec.kind.replace('purchaseorder', 'po')) entities = [{ kind: spec.kind, key: m[2] }];
    else if (m?.[2] && m[1] === spec.kind) entities = [{ kind: spec.kind, key: m[2] }];
  }
  // Dedupe: one milestone per entity per event.
  const seen = new Set<string>();
  const uniqueKeys = keys.filter((k) => {
    const s = `${k.type}\u0000${k.value}`;
    if (seen.has(s)) return false;
    seen.add(s);
    return true;
  });
  const uniqueEntities = entities.filter((e, i) => entities.findIndex((x) => JSON.stringify(x) === JSON.stringify(e)) === i);
  return uniqueEntities.map((entity) => ({
    ...base,
    entity,
    keys: uniqueKeys,
    detail: Object.fromEntries(Object.entries(detail).filter(([, v]) => v !== undefined)),
    ...(label ? { label } : {}),
    ...(partner ? { partner } : {}),
    ...(channel ? { channel } : {}),
    ...(warehouse ? { warehouse } : {}),
  }));
}
