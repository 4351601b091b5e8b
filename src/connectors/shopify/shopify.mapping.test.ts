import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CreditMemoV1, SalesOrderV1 } from '../../canonical/index.js';
import { parseJsonKeepingBigIds } from './mappers/json.js';
import { salesOrderFromShopify, salesOrderToShopify } from './mappers/order.js';
import { isObject } from './mappers/picker.js';
import { creditMemoFromShopifyRefund } from './mappers/refund.js';

const samples = resolve(process.cwd(), '../shared/fixtures/public-samples/ecommerce');
const sample = (name: string) => parseJsonKeepingBigIds(readFileSync(resolve(samples, name), 'utf8'));
const field = (value: unknown, key: string) => (isObject(value) ? value[key] : undefined);

describe('Shopify REST order <-> SalesOrder', () => {
  const order = field(sample('shopify_python_api__order.json'), 'order');

  it('maps the public sample order (#1001) to a valid SalesOrder', () => {
    const mapped = salesOrderFromShopify(order, 'store-eu');
    expect(SalesOrderV1.safeParse(mapped).success).toBe(true);
    expect(mapped).toMatchObject({
      id: 'shopify:store-eu:order:450789469',
      refs: { shopify: '450789469' },
      channelOrderId: '#1001',
      orderDate: '2008-01-10T11:00:00-05:00',
      currency: 'USD',
      paymentStatus: 'authorized',
      buyer: { email: 'bob.norman@hostmail.com' },
      customer: { refs: { shopify: '207119551' } },
      shipTo: { name: 'Bob Norman', line1: 'Chestnut Street 92', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' },
      totals: {
        total: { amount: '409.94', currency: 'USD' },
        subtotal: { amount: '398.00', currency: 'USD' },
        taxTotal: { amount: '11.94', currency: 'USD' },
      },
      taxes: [{ name: 'State Tax', ratePercent: '6', amount: { amount: '11.94', currency: 'USD' } }],
      charges: [{ kind: 'charge', type: 'freight', code: 'Free Shipping', amount: { amount: '0.00', currency: 'USD' } }],
    });
    expect(mapped.lines.map((l) => [l.item.sku, l.quantity.value, l.unitPrice?.amount, l.refs?.shopify])).toEqual([
      ['IPOD2008GREEN', '1', '199.00', '466157049'],
      ['IPOD2008RED', '1', '199.00', '518995019'],
      ['IPOD2008BLACK', '1', '199.00', '703073504'],
    ]);
  });

  it('keeps every field it does not map in ext.shopify (order, lines, addresses)', () => {
    const mapped = salesOrderFromShopify(order, 'store-eu');
    const ext = field(mapped.ext, 'shopify');
    expect(field(ext, 'gateway')).toBe('authorize_net');
    expect(field(ext, 'note_attributes')).toEqual([
      { name: 'custom engraving', value: 'Happy Birthday' },
      { name: 'colour', value: 'green' },
    ]);
    expect(field(ext, 'discount_codes')).toEqual([{ code: 'TENOFF', amount: '10.00' }]);
    expect(field(field(ext, 'billing_address'), 'country')).toBe('United States');
    expect(field(field(ext, 'customer'), 'default_address')).toMatchObject({ country_name: 'United States' });
    expect(field(mapped.lines[0]?.ext?.shopify, 'properties')).toEqual([{ name: 'Custom Engraving', value: 'Happy Birthday' }]);
    expect(field(mapped.lines[0]?.ext?.shopify, 'product_id')).toBe(632910392);
  });

  it('round trip: mapping back gives the sample exactly, so no field is lost', () => {
    expect(salesOrderToShopify(salesOrderFromShopify(order, 'store-eu'))).toEqual(order);
  });

  it('the orders list sample has no line_items: refused with the field named, not mapped to an empty order', () => {
    const list = field(sample('shopify_python_api__orders.json'), 'orders');
    const first = Array.isArray(list) ? list[0] : undefined;
    expect(() => salesOrderFromShopify(first, 'x')).toThrow(
      expect.objectContaining({ code: 'CD_ERR_CONNECTOR_MAPPING', details: { path: 'line_items' } }),
    );
  });

  it('an order without line items is a mapping error naming the field', () => {
    expect(() => salesOrderFromShopify({ id: 1, currency: 'USD', created_at: '2026-01-01T00:00:00Z', line_items: [] }, 'x')).toThrow(
      expect.objectContaining({ code: 'CD_ERR_CONNECTOR_MAPPING', details: { path: 'line_items' } }),
    );
  });
});

describe('Shopify refund -> CreditMemo', () => {
  it('maps the public refund sample: lines at price × quantity, total from the refund transaction, body kept', () => {
    const refund = field(sample('shopify_python_api__refund.json'), 'refund');
    const memo = creditMemoFromShopifyRefund(refund, 'store-eu');
    expect(CreditMemoV1.safeParse(memo).success).toBe(true);
    expect(memo).toMatchObject({
      creditMemoNumber: '509562969',
      status: 'refunded',
      reason: 'it broke during shipping',
      order: { refs: { shopify: '450789469' } },
      totals: { total: { amount: '209.00', currency: 'USD' } },
    });
    expect(memo.lines.map((l) => [l.item?.sku, l.lineTotal.amount])).toEqual([
      ['IPOD2008BLACK', '199.00'],
      ['IPOD2008GREEN', '199.00'],
    ]);
    expect(memo.ext.shopify).toEqual(refund);
  });
});

describe('parseJsonKeepingBigIds', () => {
  it('keeps integers beyond 2^53 as exact strings and leaves strings, decimals and small numbers alone', () => {
    const parsed = parseJsonKeepingBigIds(
      '{"id":9007199254740993,"n":42,"p":-1.5e3,"s":"9007199254740993 \\" 12345678901234567890","big":[12345678901234567890]}',
    );
    expect(parsed).toEqual({
      id: '9007199254740993',
      n: 42,
      p: -1500,
      s: '9007199254740993 " 12345678901234567890',
      big: ['12345678901234567890'],
    });
  });
});
