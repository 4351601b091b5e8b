import { describe, expect, it } from 'vitest';
import { canonicalExamples, customerExample, itemExample, salesOrderExample } from './examples/index.js';
import { CustomerV1, ItemV1, SalesOrderV1 } from './objects/index.js';
import { type CanonicalSchemaId, canonicalSchemaIds, canonicalSchemaMap } from './registry.js';

function clone<T>(value: T): T {
  return structuredClone(value);
}

function firstExample(id: CanonicalSchemaId): Record<string, unknown> {
  const example = canonicalExamples[id][0];
  if (!example) throw new Error(`no example for ${id}`);
  return { ...structuredClone(example) };
}

function firstIssuePath(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }): string | undefined {
  return result.error?.issues[0]?.path.map(String).join('.');
}

describe('examples', () => {
  it('exist for every canonical object', () => {
    for (const id of canonicalSchemaIds) expect(canonicalExamples[id].length, id).toBeGreaterThan(0);
    expect(canonicalSchemaIds).toHaveLength(16);
  });

  for (const id of canonicalSchemaIds) {
    it(`${id} examples parse and survive a JSON round trip unchanged`, () => {
      for (const example of canonicalExamples[id]) {
        const parsed = canonicalSchemaMap[id].parse(example);
        expect(canonicalSchemaMap[id].parse(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
      }
    });
  }
});

describe('every object', () => {
  for (const id of canonicalSchemaIds) {
    it(`${id} rejects an unknown top-level field (extensions go in ext) and keeps ext as sent`, () => {
      const withStray = { ...firstExample(id), vendorField: 1 };
      const result = canonicalSchemaMap[id].safeParse(withStray);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
      const ext = { acme: { vendorField: 1, nested: [null, { a: 'b' }] } };
      const parsed = canonicalSchemaMap[id].parse({ ...firstExample(id), ext });
      expect(parsed.ext).toEqual(ext);
    });

    it(`${id} fills refs and ext when absent`, () => {
      const rest = Object.fromEntries(Object.entries(firstExample(id)).filter(([k]) => k !== 'refs' && k !== 'ext'));
      const parsed = canonicalSchemaMap[id].parse(rest);
      expect(parsed.refs).toEqual({});
      expect(parsed.ext).toEqual({});
    });
  }
});

describe('SalesOrder', () => {
  it('fills defaults a producer may leave out', () => {
    const { status: _s, ...minimal } = clone(salesOrderExample);
    const parsed = SalesOrderV1.parse(minimal);
    expect(parsed.status).toBe('received');
    expect(parsed.orderType).toBe('standard');
    expect(parsed.taxesIncluded).toBe(false);
    expect(parsed.lines[1]?.discounts).toEqual([]);
  });

  it('needs at least one line', () => {
    const result = SalesOrderV1.safeParse({ ...clone(salesOrderExample), lines: [] });
    expect(firstIssuePath(result)).toBe('lines');
  });

  it('names the path of a bad line field', () => {
    const order = clone(salesOrderExample);
    const bad = { ...order, lines: [order.lines[0], { ...order.lines[1], quantity: { value: 3, uom: 'EA' } }] };
    expect(firstIssuePath(SalesOrderV1.safeParse(bad))).toBe('lines.1.quantity.value');
  });

  it('rejects a line GTIN with a wrong check digit', () => {
    const order = clone(salesOrderExample);
    const bad = { ...order, lines: [{ ...order.lines[0], item: { gtin: '4006381333932' } }] };
    expect(firstIssuePath(SalesOrderV1.safeParse(bad))).toBe('lines.0.item.gtin');
  });

  it('rejects an unknown status and a line without any item identifier', () => {
    expect(firstIssuePath(SalesOrderV1.safeParse({ ...clone(salesOrderExample), status: 'done' }))).toBe('status');
    const order = clone(salesOrderExample);
    const noItem = { ...order, lines: [{ ...order.lines[0], item: { description: 'something' } }] };
    expect(firstIssuePath(SalesOrderV1.safeParse(noItem))).toBe('lines.0.item');
  });
});

describe('Item', () => {
  it('holds pack conversions, pallet pattern and partner item numbers', () => {
    const item = ItemV1.parse(itemExample);
    expect(item.uoms.find((u) => u.uom === 'CS')?.factor).toBe('120');
    expect(item.pallet).toEqual({ uom: 'CS', ti: 10, hi: 5 });
    expect(item.customerItemNumbers[0]?.partnerId).toBe('cust-acme');
    expect(item.tracking.lot).toBe(true);
  });

  it('defaults tracking to none', () => {
    const { tracking: _t, ...rest } = clone(itemExample);
    expect(ItemV1.parse(rest).tracking).toEqual({ lot: false, serial: false, expiry: false });
  });
});

describe('Customer', () => {
  it('holds the hierarchy, terms, credit and policy', () => {
    const customer = CustomerV1.parse(customerExample);
    expect(customer.parent?.id).toBe('cust-acme-group');
    expect(customer.shipTos.map((s) => s.code)).toEqual(['DC-01', 'ST-0457']);
    expect(customer.paymentTerms).toMatchObject({ netDays: 30, discountPercent: '2', discountDays: 10 });
    expect(customer.creditLimit).toEqual({ amount: '50000.00', currency: 'USD' });
  });

  it('defaults credit hold off and the policy to partial shipments; rejects an unknown policy', () => {
    const { creditHold: _c, fulfilmentPolicy: _f, ...rest } = clone(customerExample);
    const parsed = CustomerV1.parse(rest);
    expect(parsed.creditHold).toBe(false);
    expect(parsed.fulfilmentPolicy).toBe('partial-allowed');
    expect(firstIssuePath(CustomerV1.safeParse({ ...rest, fulfilmentPolicy: 'ship-whenever' }))).toBe('fulfilmentPolicy');
  });
});
