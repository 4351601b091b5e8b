import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../kernel/index.js';
import { type OdooSim, startOdooSim } from '../../sim/odoo/index.js';
import { SqliteStore } from '../../store/index.js';
import { BudgetRegistry, type ConnectorInstance, createConnectorInstance, PollingTrigger } from '../sdk/index.js';
import { odooChangesTrigger } from './changes.trigger.js';
import type { OdooCredentials } from './credentials.js';
import { odooConnector } from './odoo.connector.js';
import type { OdooSettings } from './settings.js';
import { simCredentials, simSettings } from './testing/contract-harness.js';
import { rpc } from './transport.js';

let sim: OdooSim;
let store: SqliteStore;
let dir: string;
let odoo: ConnectorInstance<OdooSettings, OdooCredentials>;

beforeAll(async () => {
  sim = await startOdooSim();
  dir = mkdtempSync(join(tmpdir(), 'crossdock-odoo-'));
  store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  odoo = createConnectorInstance(odooConnector, 'test', simSettings(sim.url, { pageSize: 3 }), simCredentials(sim), {
    store,
    budgets: new BudgetRegistry(),
    logger: silentLogger(),
    publish: async () => {},
  });
  sim.seed('product.product', { name: 'Widget', default_code: 'W-1', list_price: 4, standard_price: 1.25, barcode: 'X-1' });
  sim.seed('product.product', { name: 'Gadget', default_code: 'G-1', list_price: 10 });
});
afterAll(async () => {
  await odoo.close();
  await sim.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const records = (model: string, domain: unknown[] = []) =>
  sim.state.read(sim.state.model(model), sim.state.search(sim.state.model(model), domain), undefined, 1);
const order = (id: string) => ({
  id,
  orderDate: '2026-03-02T09:00:00Z',
  currency: 'USD',
  customer: { id: 'cus-1' },
  customerPoNumber: 'PO-77',
  lines: [
    { lineNumber: '1', item: { sku: 'W-1' }, quantity: { value: '3', uom: 'EA' } },
    { lineNumber: '2', item: { sku: 'G-1' }, quantity: { value: '1', uom: 'EA' }, unitPrice: { amount: '9.5', currency: 'USD' } },
  ],
});

describe('Odoo partners and sales', () => {
  it('upserts a partner by ref: a second call writes, it does not duplicate', async () => {
    const first = await odoo.invoke('partners.upsert', {
      customer: { id: 'cus-1', name: 'Acme', email: 'ap@acme.example', billTo: { line1: '1 Main', city: 'Gent', postalCode: '9000' } },
    });
    const second = await odoo.invoke('partners.upsert', { customer: { id: 'cus-1', name: 'Acme NV' } });
    expect(first).toMatchObject({ created: true });
    expect(second).toEqual({ id: (first as { id: number }).id, created: false });
    expect(records('res.partner', [['ref', '=', 'cus-1']])).toMatchObject([
      { name: 'Acme NV', email: 'ap@acme.example', city: 'Gent', customer_rank: 1 },
    ]);
  });

  it('creates a quotation with its lines as one2many commands, once, then confirms it into a delivery', async () => {
    const created = (await odoo.invoke('saleOrders.create', { order: order('so-1') })) as { id: number; created: boolean };
    expect(created.created).toBe(true);
    expect(await odoo.invoke('saleOrders.create', { order: order('so-1') })).toEqual({ id: created.id, created: false });
    const [so] = records('sale.order', [['client_order_ref', '=', 'so-1']]);
    expect(so).toMatchObject({ state: 'draft', amount_total: 21.5, note: 'Customer PO PO-77' });
    const lines = records('sale.order.line', [['order_id', '=', created.id]]);
    expect(lines).toMatchObject([
      { product_uom_qty: 3, price_unit: 4, price_subtotal: 12 },
      { product_uom_qty: 1, price_unit: 9.5, price_subtotal: 9.5 },
    ]);
    const confirmed = await odoo.invoke('saleOrders.confirm', { order: { id: 'so-1' } });
    expect(confirmed).toMatchObject({ id: created.id, state: 'sale', confirmedNow: true });
    expect(records('stock.picking', [['origin', '=', String(so?.name)]])).toHaveLength(1);
    expect(await odoo.invoke('saleOrders.confirm', { order: { id: 'so-1' } })).toMatchObject({ state: 'sale', confirmedNow: false });
  });

  it('creates and confirms a purchase order into a receipt', async () => {
    await odoo.invoke('partners.upsert', { supplier: { id: 'sup-1', name: 'Bolt Supply' } });
    const po = {
      id: 'po-1',
      poNumber: 'PO-1001',
      orderDate: '2026-03-01T08:00:00Z',
      currency: 'USD',
      supplier: { id: 'sup-1' },
      lines: [
        { lineNumber: '1', item: { sku: 'W-1' }, quantity: { value: '50', uom: 'EA' }, unitPrice: { amount: '1.1', currency: 'USD' } },
      ],
    };
    const created = (await odoo.invoke('purchaseOrders.create', { purchaseOrder: po })) as { id: number };
    expect(records('purchase.order.line', [['order_id', '=', created.id]])).toMatchObject([{ product_qty: 50, price_unit: 1.1 }]);
    expect(await odoo.invoke('purchaseOrders.confirm', { order: { id: 'po-1' } })).toMatchObject({ state: 'purchase', confirmedNow: true });
    expect(records('stock.picking', [['picking_type_code', '=', 'incoming']])).toHaveLength(1);
  });
});

describe('Odoo reads', () => {
  it('lists products, stock quants and posted invoices as canonical objects', async () => {
    const items = (await odoo.invoke('products.list', {})) as Array<{
      sku: string;
      listPrice: { amount: string };
      ext: Record<string, unknown>;
    }>;
    expect(items.find((i) => i.sku === 'W-1')).toMatchObject({
      listPrice: { amount: '4', currency: 'USD' },
      standardCost: { amount: '1.25' },
      ext: { odoo: { barcode: 'X-1' } },
    });
    const [widget] = sim.state.search(sim.state.model('product.product'), [['default_code', '=', 'W-1']]);
    sim.seed('stock.quant', { product_id: widget, location_id: 1, quantity: 40, reserved_quantity: 3 });
    const positions = await odoo.invoke('stockQuants.list', {});
    expect(positions).toMatchObject([
      { item: { refs: { odoo: String(widget) } }, location: { name: 'WH/Stock' }, onHand: { value: '40' }, reserved: { value: '3' } },
    ]);
    const partnerId = sim.state.search(sim.state.model('res.partner'), [['ref', '=', 'cus-1']])[0];
    sim.seed('account.move', {
      name: 'INV/2026/0001',
      move_type: 'out_invoice',
      partner_id: partnerId,
      state: 'posted',
      amount_total: 21.5,
      invoice_date: '2026-03-05',
      invoice_origin: 'S00001',
    });
    sim.seed('account.move', { name: '/', move_type: 'out_invoice', partner_id: partnerId, state: 'draft', amount_total: 1 });
    const invoices = await odoo.invoke('invoices.list', {});
    expect(invoices).toMatchObject([
      {
        invoiceNumber: 'INV/2026/0001',
        kind: 'sales',
        invoiceDate: '2026-03-05',
        buyer: { name: 'Acme NV' },
        orders: [{ number: 'S00001' }],
        totals: { total: { amount: '21.5', currency: 'USD' } },
      },
    ]);
  });

  it('polls sale.order changes by write_date, advancing the cursor and seeing a later write once', async () => {
    for (let i = 2; i <= 5; i++) await odoo.invoke('saleOrders.create', { order: order(`so-${i}`) });
    const seen: string[] = [];
    const poller = new PollingTrigger({
      store,
      connector: 'odoo',
      instance: 'test',
      trigger: 'changes',
      initialCursor: odooChangesTrigger.initialCursor(odoo.ctx),
      poll: (cursor) => odooChangesTrigger.poll(odoo.ctx, cursor),
      handle: async (items) => {
        for (const item of items) seen.push(`${item.id}@${item.writeDate}`);
      },
      intervalMs: 60_000,
    });
    for (let more = true, n = 0; more && n < 20; n++) more = (await poller.pollOnce()).more;
    expect(new Set(seen.map((s) => s.split('@')[0])).size).toBe(5);
    expect(seen).toHaveLength(5);
    expect(await poller.pollOnce()).toEqual({ applied: 0, more: false });
    const [so3] = sim.state.search(sim.state.model('sale.order'), [['client_order_ref', '=', 'so-3']]);
    await new Promise((r) => setTimeout(r, 1100));
    await rpc(
      odoo.ctx,
      'object',
      'execute_kw',
      [sim.database, 2, simCredentials(sim).apiKey, 'sale.order', 'write', [[so3], { note: 'changed' }]],
      { operation: 'test', idempotent: false },
    );
    expect(await poller.pollOnce()).toEqual({ applied: 1, more: false });
    expect(seen.at(-1)?.startsWith(`${so3}@`)).toBe(true);
    const [event] = await odooChangesTrigger.map({ model: 'sale.order', id: String(so3), writeDate: '2026-03-02T09:00:00Z' }, odoo.ctx);
    expect(event).toMatchObject({ type: 'crossdock.odoo.record.changed.v1', subject: `odoo/sale.order/${so3}` });
  });
});

describe('Odoo error classification (JSON-RPC errors arrive as HTTP 200)', () => {
  const call = (model: string, method: string, args: unknown[], key = simCredentials(sim).apiKey) =>
    rpc(odoo.ctx, 'object', 'execute_kw', [sim.database, 2, key, model, method, args], { operation: 'test', idempotent: false });

  it('AccessDenied is a permanent auth error', async () => {
    await expect(call('res.partner', 'search', [[]], 'wrong-key')).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_AUTH',
      errorClass: 'permanent',
      details: { odooError: 'odoo.exceptions.AccessDenied' },
    });
  });

  it('ValidationError, UserError and MissingError are permanent rejections carrying the Odoo message', async () => {
    const bad = await odoo
      .invoke('saleOrders.create', { order: { ...order('so-bad'), customer: { refs: { odoo: '9999' } } } })
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({
      code: 'CD_ERR_CONNECTOR_REJECTED',
      errorClass: 'permanent',
      details: { odooError: 'odoo.exceptions.ValidationError' },
    });
    const [so1] = sim.state.search(sim.state.model('sale.order'), [['client_order_ref', '=', 'so-1']]);
    await expect(call('sale.order', 'action_confirm', [[so1]])).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_REJECTED',
      details: { odooError: 'odoo.exceptions.UserError' },
    });
    const missing = await call('res.partner', 'write', [[424242], { name: 'x' }]).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'CD_ERR_CONNECTOR_REJECTED', details: { odooError: 'odoo.exceptions.MissingError' } });
    expect(String((missing as Error).message)).toContain('Record does not exist or has been deleted');
  });

  it('other server exceptions are retryable', async () => {
    await expect(call('no.such.model', 'search', [[]])).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_UNAVAILABLE',
      errorClass: 'retryable',
      details: { odooError: 'builtins.KeyError' },
    });
  });
});
