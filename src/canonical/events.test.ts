import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CrossdockError, Errors } from '../kernel/index.js';
import { defineEventType, makeEvent } from './envelope.js';
import { canonicalEvents, createCanonicalEventCatalog, OrderBackorderedEvent, OrderReceivedEvent } from './events.js';
import { salesOrderExample, shipmentExample } from './examples/index.js';

const required = [
  'order.received',
  'order.accepted',
  'order.rejected',
  'order.allocated',
  'order.backordered',
  'order.booked',
  'order.released',
  'order.shipped',
  'order.invoiced',
  'order.cancelled',
  'shipment.dispatched',
  'shipment.delivered',
  'shipment.exception',
  'inventory.adjusted',
  'inventory.snapshot',
  'inventory.position.changed',
  'purchaseorder.created',
  'purchaseorder.sent',
  'purchaseorder.acknowledged',
  'asn.received',
  'receipt.posted',
  'invoice.posted',
  'return.requested',
  'return.authorized',
  'return.received',
  'creditmemo.posted',
  'case.opened',
  'item.upserted',
  'customer.upserted',
];

describe('canonical events', () => {
  it('cover every business event the hub publishes, named crossdock.<noun>.<verb>.v1', () => {
    const types = canonicalEvents.map((t) => t.type);
    for (const name of required) expect(types).toContain(`crossdock.${name}.v1`);
    expect(new Set(types).size).toBe(types.length);
    for (const t of canonicalEvents) expect(t.dataschema).toBe(`urn:crossdock:schema:${t.type}`);
  });

  it('validate an order.received envelope carrying a canonical SalesOrder', () => {
    const catalog = createCanonicalEventCatalog();
    const event = makeEvent({
      type: OrderReceivedEvent.type,
      source: 'crossdock://connector/shopify/store-eu',
      data: salesOrderExample,
      partitionkey: 'order/SO-1001',
    });
    const valid = catalog.validate(event);
    expect(valid.dataschema).toBe('urn:crossdock:schema:crossdock.order.received.v1');
  });

  it('reject bad data with the path under data', () => {
    const catalog = createCanonicalEventCatalog();
    const bad = { ...shipmentExample, status: 'lost-in-space' };
    const event = makeEvent({
      type: 'crossdock.shipment.exception.v1',
      source: 'crossdock://connector/wms',
      data: bad,
      partitionkey: 'shipment/1',
    });
    let err: unknown;
    try {
      catalog.validate(event);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CrossdockError);
    expect(Errors.validation.is(err) && err.details.path).toBe('data.status');
  });

  it('take data a caller already parsed as it is, but still check the envelope and the type', () => {
    const catalog = createCanonicalEventCatalog();
    const parsed = { ...salesOrderExample };
    const event = makeEvent({ type: OrderReceivedEvent.type, source: 'crossdock://partner/acme', data: parsed, partitionkey: 'order/1' });
    const valid = catalog.validate(event, { dataParsed: true });
    expect(valid.data).toBe(parsed);
    expect(valid.dataschema).toBe('urn:crossdock:schema:crossdock.order.received.v1');
    // Without the flag the same data is parsed (a new object, defaults filled).
    expect(catalog.validate(event).data).not.toBe(parsed);
    expect(() => catalog.validate({ ...event, source: '' }, { dataParsed: true })).toThrow(/envelope field source/);
    expect(() => catalog.validate({ ...event, type: 'crossdock.nothing.v1' }, { dataParsed: true })).toThrow(/unknown event type/);
  });

  it('carry small change payloads for state changes', () => {
    expect(
      OrderBackorderedEvent.schema.safeParse({
        orderId: 'so-1',
        lines: [{ lineNumber: '2', quantity: { value: '5', uom: 'EA' }, expectedDate: '2024-05-20' }],
      }).success,
    ).toBe(true);
    expect(OrderBackorderedEvent.schema.safeParse({ orderId: 'so-1', lines: [] }).success).toBe(false);
  });

  it('build a catalog that also takes extra types', () => {
    const extra = defineEventType({ type: 'crossdock.test.pinged.v1', schema: z.strictObject({ n: z.number() }), description: 'test' });
    const catalog = createCanonicalEventCatalog([extra]);
    expect(catalog.get('crossdock.test.pinged.v1')).toBe(extra);
    expect(catalog.list()).toHaveLength(canonicalEvents.length + 1);
  });
});
