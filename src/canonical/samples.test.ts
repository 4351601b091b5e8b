import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseCanonical } from './parse.js';

/**
 * Can the canonical model hold what real systems send? Each test maps a public vendor sample with a
 * deliberately thin mapper (the connectors own the real ones) and keeps every field it did not map under
 * `ext.<vendor>`, then checks that the result parses and nothing was dropped.
 */
const samples = resolve(process.cwd(), '../shared/fixtures/public-samples');

function sample(path: string): unknown {
  return JSON.parse(readFileSync(resolve(samples, path), 'utf8'));
}

/** The fields of `source` a mapper did not use, kept verbatim for `ext`. */
function unmapped(source: Record<string, unknown>, used: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(source).filter(([k]) => !used.includes(k)));
}

/** A JSON number as a canonical decimal string. Vendors send money and quantities as numbers. */
function dec(n: number): string {
  const s = String(n);
  if (!/^-?\d+(\.\d+)?$/.test(s)) throw new Error(`not a plain decimal: ${s}`);
  return s;
}

/** A Shopify/Woo-style percentage fraction (0.06) as a percentage string ("6"). */
function fractionToPercent(rate: number): string {
  return dec(Number((rate * 100).toFixed(6)));
}

function nonEmpty(s: string | null | undefined): string | undefined {
  return s === null || s === undefined || s === '' ? undefined : s;
}

// Vendor shapes: only the fields the mappers read; everything else passes through to ext.
const ShopifyAddress = z.looseObject({
  address1: z.string().nullish(),
  address2: z.string().nullish(),
  city: z.string().nullish(),
  company: z.string().nullish(),
  name: z.string().nullish(),
  phone: z.string().nullish(),
  zip: z.string().nullish(),
  province_code: z.string().nullish(),
  country_code: z.string().nullish(),
});
const ShopifyLineItem = z.looseObject({ id: z.number(), sku: z.string(), title: z.string(), quantity: z.number(), price: z.string() });
const ShopifyOrder = z.looseObject({
  id: z.number(),
  name: z.string(),
  email: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  currency: z.string(),
  financial_status: z.string(),
  taxes_included: z.boolean(),
  subtotal_price: z.string(),
  total_tax: z.string(),
  total_discounts: z.string(),
  total_price: z.string(),
  line_items: z.array(ShopifyLineItem),
  tax_lines: z.array(z.looseObject({ price: z.string(), rate: z.number(), title: z.string() })),
  shipping_lines: z.array(z.looseObject({ code: z.string(), price: z.string(), title: z.string() })),
  billing_address: ShopifyAddress,
  shipping_address: ShopifyAddress,
  customer: z.looseObject({ id: z.number(), email: z.string() }),
});

function shopifyAddress(a: z.infer<typeof ShopifyAddress>) {
  return {
    name: nonEmpty(a.name),
    company: nonEmpty(a.company),
    line1: nonEmpty(a.address1),
    line2: nonEmpty(a.address2),
    city: nonEmpty(a.city),
    region: nonEmpty(a.province_code),
    postalCode: nonEmpty(a.zip),
    country: nonEmpty(a.country_code),
    phone: nonEmpty(a.phone),
  };
}

describe('Shopify samples fit the canonical model', () => {
  it('a REST order becomes a SalesOrder, ids as strings, the rest in ext.shopify', () => {
    const raw = z.looseObject({ order: z.record(z.string(), z.unknown()) }).parse(sample('ecommerce/shopify_python_api__order.json')).order;
    const o = ShopifyOrder.parse(raw);
    const money = (amount: string) => ({ amount, currency: o.currency });
    const order = parseCanonical('salesorder.v1', {
      id: `shopify-${o.id}`,
      refs: { shopify: String(o.id) },
      channelOrderId: o.name,
      channel: 'shopify',
      orderDate: o.created_at,
      updatedAt: o.updated_at,
      currency: o.currency,
      customer: { refs: { shopify: String(o.customer.id) } },
      billTo: { ...shopifyAddress(o.billing_address), email: o.email },
      shipTo: shopifyAddress(o.shipping_address),
      paymentStatus: o.financial_status === 'authorized' ? 'authorized' : undefined,
      taxesIncluded: o.taxes_included,
      lines: o.line_items.map((li, i) => ({
        lineNumber: String(i + 1),
        refs: { shopify: String(li.id) },
        item: { sku: li.sku, description: li.title },
        quantity: { value: dec(li.quantity), uom: 'EA' },
        unitPrice: money(li.price),
        ext: { shopify: unmapped(li, ['id', 'sku', 'title', 'quantity', 'price']) },
      })),
      charges: o.shipping_lines.map((s) => ({
        kind: 'charge',
        type: 'freight',
        code: s.code,
        description: s.title,
        amount: money(s.price),
      })),
      taxes: o.tax_lines.map((t) => ({ name: t.title, ratePercent: fractionToPercent(t.rate), amount: money(t.price) })),
      totals: {
        subtotal: money(o.subtotal_price),
        discountTotal: money(o.total_discounts),
        taxTotal: money(o.total_tax),
        total: money(o.total_price),
      },
      ext: { shopify: unmapped(raw, Object.keys(ShopifyOrder.shape)) },
    });
    expect(order.refs.shopify).toBe('450789469');
    expect(order.lines.map((l) => l.item.sku)).toEqual(['IPOD2008GREEN', 'IPOD2008RED', 'IPOD2008BLACK']);
    expect(order.taxes[0]?.ratePercent).toBe('6');
    expect(order.totals?.total).toEqual({ amount: '409.94', currency: 'USD' });
    // Nothing lost: discount codes, note attributes, fulfilments and line properties ride along in ext.
    const ext = z.looseObject({
      discount_codes: z.array(z.unknown()),
      note_attributes: z.array(z.unknown()),
      fulfillments: z.array(z.unknown()),
    });
    expect(ext.parse(order.ext.shopify).discount_codes).toEqual([{ code: 'TENOFF', amount: '10.00' }]);
    expect(order.lines[0]?.ext?.shopify).toMatchObject({
      properties: [{ name: 'Custom Engraving', value: 'Happy Birthday' }],
      variant_id: 39072856,
    });
  });

  it('a fulfillment becomes a Shipment', () => {
    const raw = z
      .looseObject({ fulfillment: z.record(z.string(), z.unknown()) })
      .parse(sample('ecommerce/shopify_python_api__fulfillment.json')).fulfillment;
    const f = z
      .looseObject({
        id: z.number(),
        order_id: z.number(),
        status: z.enum(['pending', 'open', 'success', 'cancelled', 'error', 'failure']),
        created_at: z.string(),
        tracking_company: z.string().nullable(),
        tracking_numbers: z.array(z.string()),
        tracking_urls: z.array(z.string()),
        line_items: z.array(ShopifyLineItem),
      })
      .parse(raw);
    const status = {
      pending: 'pending',
      open: 'pending',
      success: 'dispatched',
      cancelled: 'cancelled',
      error: 'exception',
      failure: 'exception',
    } as const;
    const shipment = parseCanonical('shipment.v1', {
      id: `shopify-fulfillment-${f.id}`,
      refs: { shopify: String(f.id) },
      status: status[f.status],
      orders: [{ type: 'salesorder', refs: { shopify: String(f.order_id) } }],
      carrier: f.tracking_company ? { name: f.tracking_company } : undefined,
      trackingNumbers: f.tracking_numbers,
      trackingUrls: f.tracking_urls,
      createdAt: f.created_at,
      lines: f.line_items.map((li) => ({
        refs: { shopify: String(li.id) },
        item: { sku: li.sku },
        quantity: { value: dec(li.quantity), uom: 'EA' },
      })),
      ext: {
        shopify: unmapped(raw, [
          'id',
          'order_id',
          'status',
          'created_at',
          'tracking_company',
          'tracking_numbers',
          'tracking_urls',
          'line_items',
        ]),
      },
    });
    expect(shipment.trackingNumbers).toEqual(['1Z2345']);
    expect(shipment.lines[0]?.item.sku).toBe('IPOD2008GREEN');
  });

  it('inventory levels become InventoryPositions with the source-computed availability', () => {
    const levels = z
      .object({
        inventory_levels: z.array(
          z.object({ inventory_item_id: z.number(), location_id: z.number(), available: z.number(), updated_at: z.string() }),
        ),
      })
      .parse(sample('ecommerce/shopify_python_api__inventory_levels.json')).inventory_levels;
    const positions = levels.map((l) =>
      parseCanonical('inventoryposition.v1', {
        id: `shopify-${l.inventory_item_id}-${l.location_id}`,
        item: { refs: { shopify: String(l.inventory_item_id) } },
        location: { refs: { shopify: String(l.location_id) } },
        asOf: l.updated_at,
        source: 'shopify',
        onHand: { value: dec(l.available), uom: 'EA' },
        reportedAvailable: { value: dec(l.available), uom: 'EA' },
      }),
    );
    expect(positions).toHaveLength(4);
    expect(positions[0]?.reportedAvailable).toEqual({ value: '27', uom: 'EA' });
  });

  it('a customer becomes a consumer Customer with its addresses as ship-tos', () => {
    const raw = z
      .looseObject({ customer: z.record(z.string(), z.unknown()) })
      .parse(sample('ecommerce/shopify_python_api__customer.json')).customer;
    const c = z
      .looseObject({
        id: z.number(),
        first_name: z.string(),
        last_name: z.string(),
        email: z.string(),
        tax_exempt: z.boolean(),
        created_at: z.string(),
        updated_at: z.string(),
        addresses: z.array(ShopifyAddress.extend({ id: z.number(), default: z.boolean() })),
      })
      .parse(raw);
    const customer = parseCanonical('customer.v1', {
      id: `shopify-${c.id}`,
      refs: { shopify: String(c.id) },
      name: `${c.first_name} ${c.last_name}`,
      type: 'consumer',
      email: c.email,
      taxExempt: c.tax_exempt,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
      channel: 'webstore',
      shipTos: c.addresses.map((a) => ({ code: String(a.id), address: shopifyAddress(a), isDefault: a.default })),
      ext: { shopify: unmapped(raw, ['id', 'first_name', 'last_name', 'email', 'tax_exempt', 'created_at', 'updated_at', 'addresses']) },
    });
    expect(customer.shipTos[0]?.address).toMatchObject({ city: 'Louisville', region: 'KY', country: 'US' });
  });
});

describe('other channels fit the canonical model', () => {
  it('a WooCommerce order (local times plus a GMT twin, numeric price) becomes a SalesOrder', () => {
    const raw = z.record(z.string(), z.unknown()).parse(sample('ecommerce/woocommerce-rest-api-docs__woo_v3_order_create_response.json'));
    const w = z
      .looseObject({
        id: z.number(),
        number: z.string(),
        currency: z.string(),
        date_created_gmt: z.string(),
        total: z.string(),
        total_tax: z.string(),
        shipping_total: z.string(),
        line_items: z.array(
          z.looseObject({
            id: z.number(),
            name: z.string(),
            product_id: z.number(),
            quantity: z.number(),
            subtotal: z.string(),
            total: z.string(),
          }),
        ),
      })
      .parse(raw);
    const money = (amount: string) => ({ amount, currency: w.currency });
    const order = parseCanonical('salesorder.v1', {
      id: `woo-${w.id}`,
      refs: { woocommerce: String(w.id) },
      channelOrderId: w.number,
      orderDate: `${w.date_created_gmt}Z`,
      currency: w.currency,
      lines: w.line_items.map((li, i) => ({
        lineNumber: String(i + 1),
        refs: { woocommerce: String(li.id) },
        item: { refs: { woocommerce: String(li.product_id) }, description: li.name },
        quantity: { value: dec(li.quantity), uom: 'EA' },
        lineTotal: money(li.total),
      })),
      charges: [{ kind: 'charge', type: 'freight', amount: money(w.shipping_total) }],
      totals: { taxTotal: money(w.total_tax), total: money(w.total) },
      ext: {
        woocommerce: unmapped(raw, ['id', 'number', 'currency', 'date_created_gmt', 'total', 'total_tax', 'shipping_total', 'line_items']),
      },
    });
    expect(order.orderDate).toBe('2017-03-22T19:28:02Z');
    expect(order.ext.woocommerce).toHaveProperty('billing');
  });

  it('an Amazon SP-API order with its items becomes a SalesOrder', () => {
    const AmazonMoney = z.object({ CurrencyCode: z.string(), Amount: z.string() });
    const header = z
      .object({
        response: z.object({
          payload: z.looseObject({
            AmazonOrderId: z.string(),
            PurchaseDate: z.string(),
            OrderStatus: z.string(),
            OrderTotal: AmazonMoney,
            ShipServiceLevel: z.string(),
          }),
        }),
      })
      .parse(sample('ecommerce/selling-partner-api-models__spapi_getOrder_sandbox_200.json')).response.payload;
    const items = z
      .object({
        response: z.object({
          payload: z.object({
            OrderItems: z.array(
              z.looseObject({
                ASIN: z.string(),
                OrderItemId: z.string(),
                SellerSKU: z.string(),
                QuantityOrdered: z.number(),
                ItemPrice: AmazonMoney,
                ItemTax: AmazonMoney,
              }),
            ),
          }),
        }),
      })
      .parse(sample('ecommerce/selling-partner-api-models__spapi_getOrderItems_sandbox_200.json')).response.payload.OrderItems;
    const money = (m: z.infer<typeof AmazonMoney>) => ({ amount: m.Amount, currency: m.CurrencyCode });
    const order = parseCanonical('salesorder.v1', {
      id: `amazon-${header.AmazonOrderId}`,
      refs: { amazon: header.AmazonOrderId },
      channelOrderId: header.AmazonOrderId,
      channel: 'amazon',
      orderDate: header.PurchaseDate,
      currency: header.OrderTotal.CurrencyCode,
      shipping: { method: header.ShipServiceLevel },
      lines: items.map((it, i) => ({
        lineNumber: String(i + 1),
        refs: { amazon: it.OrderItemId },
        item: { sku: it.SellerSKU, refs: { amazon: it.ASIN } },
        quantity: { value: dec(it.QuantityOrdered), uom: 'EA' },
        unitPrice: money(it.ItemPrice),
        taxes: [{ amount: money(it.ItemTax) }],
        ext: { amazon: unmapped(it, ['OrderItemId', 'SellerSKU', 'ASIN', 'QuantityOrdered', 'ItemPrice', 'ItemTax']) },
      })),
      totals: { total: money(header.OrderTotal) },
      ext: { amazon: unmapped(header, ['AmazonOrderId', 'PurchaseDate', 'OrderTotal', 'ShipServiceLevel']) },
    });
    // The order item id is a 14-digit string with a leading zero: it must stay a string.
    expect(order.lines[0]?.refs?.amazon).toBe('05015851154158');
    expect(order.ext.amazon).toMatchObject({ OrderStatus: 'Unshipped', FulfillmentChannel: 'MFN' });
  });

  it('BigCommerce orders (RFC 2822 dates, 4-decimal money strings) become SalesOrders', () => {
    const list = z
      .array(
        z.looseObject({
          id: z.number(),
          date_created: z.string(),
          currency_code: z.string(),
          total_inc_tax: z.string(),
          total_tax: z.string(),
          subtotal_ex_tax: z.string(),
        }),
      )
      .parse(sample('ecommerce/bigcommerce-api-ruby__bigcommerce_v2_orders_collection.json'));
    for (const b of list) {
      const money = (amount: string) => ({ amount, currency: b.currency_code });
      const order = parseCanonical('salesorder.v1', {
        id: `bigcommerce-${b.id}`,
        refs: { bigcommerce: String(b.id) },
        orderDate: new Date(b.date_created).toISOString(),
        currency: b.currency_code,
        // Line items live behind a sub-resource link in V2; a real connector fetches them.
        lines: [{ lineNumber: '1', item: { refs: { bigcommerce: 'pending-fetch' } }, quantity: { value: '0', uom: 'EA' } }],
        totals: { subtotal: money(b.subtotal_ex_tax), taxTotal: money(b.total_tax), total: money(b.total_inc_tax) },
        ext: { bigcommerce: unmapped(b, ['id', 'date_created', 'currency_code', 'total_inc_tax', 'total_tax', 'subtotal_ex_tax']) },
      });
      expect(order.totals?.total.amount).toMatch(/^\d+\.\d{4}$/);
    }
  });
});

describe('ERP and CRM samples fit the canonical model', () => {
  it('a Business Central sales order and line (numbers, date-only order date) become a SalesOrder', () => {
    const header = z
      .looseObject({
        id: z.string(),
        number: z.string(),
        orderDate: z.string(),
        customerNumber: z.string(),
        customerName: z.string(),
        currencyCode: z.string(),
        lastModifiedDateTime: z.string(),
        shipToCity: z.string(),
        shipToCountry: z.string(),
        shipToAddressLine1: z.string(),
      })
      .parse(sample('crm_erp/dynamics365smb-devitpro-pb__bc_v2_salesOrder_get_response.json'));
    const line = z
      .looseObject({
        id: z.string(),
        sequence: z.number(),
        lineObjectNumber: z.string(),
        description: z.string(),
        unitOfMeasureCode: z.string(),
        quantity: z.number(),
        unitPrice: z.number(),
        taxPercent: z.number(),
        totalTaxAmount: z.number(),
        amountExcludingTax: z.number(),
        shipmentDate: z.string(),
      })
      .parse(sample('crm_erp/dynamics365smb-devitpro-pb__bc_v2_salesOrderLine_get_response.json'));
    const money = (n: number) => ({ amount: dec(n), currency: header.currencyCode });
    const order = parseCanonical('salesorder.v1', {
      id: `bc-${header.id}`,
      refs: { businesscentral: header.id },
      orderNumber: header.number,
      // BC gives a date only; midnight UTC is the mapper's documented choice.
      orderDate: `${header.orderDate}T00:00:00Z`,
      updatedAt: header.lastModifiedDateTime,
      currency: header.currencyCode,
      customer: { number: header.customerNumber, name: header.customerName },
      shipTo: { line1: header.shipToAddressLine1, city: header.shipToCity, country: header.shipToCountry },
      lines: [
        {
          lineNumber: String(line.sequence),
          refs: { businesscentral: line.id },
          item: { sku: line.lineObjectNumber },
          description: line.description,
          quantity: { value: dec(line.quantity), uom: line.unitOfMeasureCode.toUpperCase() },
          unitPrice: money(line.unitPrice),
          taxes: [{ ratePercent: dec(line.taxPercent), amount: money(line.totalTaxAmount) }],
          lineTotal: money(line.amountExcludingTax),
          requestedShipDate: line.shipmentDate,
          ext: {
            businesscentral: unmapped(line, [
              'id',
              'sequence',
              'lineObjectNumber',
              'description',
              'unitOfMeasureCode',
              'quantity',
              'unitPrice',
              'taxPercent',
              'totalTaxAmount',
              'amountExcludingTax',
              'shipmentDate',
            ]),
          },
        },
      ],
      ext: {
        businesscentral: unmapped(
          header,
          Object.keys(header).filter((k) => ['id', 'number', 'orderDate', 'currencyCode', 'lastModifiedDateTime'].includes(k)),
        ),
      },
    });
    expect(order.lines[0]?.unitPrice).toEqual({ amount: '1397.3', currency: 'GBP' });
    expect(order.lines[0]?.taxes[0]?.ratePercent).toBe('6.00002');
  });

  it('a Business Central item becomes an Item (empty GTIN dropped, not invalid)', () => {
    const raw = z
      .looseObject({
        id: z.string(),
        number: z.string(),
        displayName: z.string(),
        gtin: z.string(),
        baseUnitOfMeasureCode: z.string(),
        unitPrice: z.number(),
        unitCost: z.number(),
        blocked: z.boolean(),
      })
      .parse(sample('crm_erp/dynamics365smb-devitpro-pb__bc_v2_item_get_response.json'));
    const item = parseCanonical('item.v1', {
      id: `bc-${raw.id}`,
      refs: { businesscentral: raw.id },
      sku: raw.number,
      name: raw.displayName,
      status: raw.blocked ? 'blocked' : 'active',
      gtin: nonEmpty(raw.gtin),
      baseUom: raw.baseUnitOfMeasureCode,
      // BC prices are in the company's local currency, which the item record does not name.
      listPrice: { amount: dec(raw.unitPrice), currency: 'USD' },
      standardCost: { amount: dec(raw.unitCost), currency: 'USD' },
      ext: {
        businesscentral: unmapped(raw, [
          'id',
          'number',
          'displayName',
          'gtin',
          'baseUnitOfMeasureCode',
          'unitPrice',
          'unitCost',
          'blocked',
        ]),
      },
    });
    expect(item.gtin).toBeUndefined();
    expect(item.ext.businesscentral).toMatchObject({ inventory: 4, itemCategoryCode: 'TABLE' });
  });

  it('Salesforce Accounts become Customers (country names need normalising)', () => {
    const records = z
      .object({
        records: z.array(
          z.looseObject({
            attributes: z.object({ referenceId: z.string() }),
            Name: z.string(),
            BillingStreet: z.string(),
            BillingCity: z.string(),
            BillingState: z.string(),
            BillingPostalCode: z.string(),
            BillingCountry: z.string(),
          }),
        ),
      })
      .parse(sample('crm_erp/ebikes-lwc__Accounts.json')).records;
    const countries: Record<string, string> = { USA: 'US' };
    for (const r of records) {
      const customer = parseCanonical('customer.v1', {
        id: `sf-${r.attributes.referenceId}`,
        refs: { salesforce: r.attributes.referenceId },
        name: r.Name,
        billTo: {
          company: r.Name,
          line1: r.BillingStreet,
          city: r.BillingCity,
          region: r.BillingState,
          postalCode: r.BillingPostalCode,
          country: countries[r.BillingCountry],
        },
      });
      expect(customer.billTo?.country).toBe('US');
    }
    // Unnormalised, the sample's "USA" is refused with a path, not silently kept.
    expect(() => parseCanonical('customer.v1', { id: 'x', name: 'x', billTo: { country: 'USA' } })).toThrow(/billTo\.country/);
  });

  it('a Salesforce custom order status fits a Case about a shipment', () => {
    const orders = z
      .object({ records: z.array(z.looseObject({ Name: z.string(), Status__c: z.string() })) })
      .parse(sample('crm_erp/ebikes-lwc__Order__cs.json')).records;
    const c = parseCanonical('case.v1', {
      id: 'case-sf-1',
      subject: `Order ${orders[1]?.Name} is ${orders[1]?.Status__c}`,
      openedAt: '2024-05-05T09:13:00Z',
      related: orders.map((o) => ({ type: 'salesorder', number: o.Name })),
      ext: { salesforce: { Status__c: orders[1]?.Status__c } },
    });
    expect(c.related).toHaveLength(2);
  });
});
