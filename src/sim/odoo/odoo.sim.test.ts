import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/index.js';
import { type OdooSim, startOdooSim } from './odoo.sim.js';

let sim: OdooSim;
let clock: ManualClock;
let nextId = 1;

async function rpc(service: string, method: string, args: unknown[], signal?: AbortSignal) {
  const res = await fetch(sim.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: nextId++ }),
    ...(signal === undefined ? {} : { signal }),
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    text,
    json: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined,
  };
}

const admin = () => sim.users[0] ?? { uid: 0, login: '', password: '', apiKeys: [] };
const kw = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}, secret = admin().password) =>
  rpc('object', 'execute_kw', [sim.database, admin().uid, secret, model, method, args, kwargs]);
const result = async (p: ReturnType<typeof kw>) => {
  const r = await p;
  if (r.json?.error) throw new Error(JSON.stringify(r.json.error.data));
  return r.json.result;
};

beforeEach(async () => {
  clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  sim = await startOdooSim({ clock });
});
afterEach(() => sim.close());

describe('Odoo authentication', () => {
  it('logs in with a password or an API key, reports its version, and returns false for a wrong password', async () => {
    expect((await rpc('common', 'login', [sim.database, 'admin', 'admin'])).json.result).toBe(2);
    expect((await rpc('common', 'authenticate', [sim.database, 'admin', admin().apiKeys[0], {}])).json.result).toBe(2);
    expect((await rpc('common', 'login', [sim.database, 'admin', 'wrong'])).json.result).toBe(false);
    expect((await rpc('common', 'version', [])).json.result).toMatchObject({ server_version: '17.0', protocol_version: 1 });
  });

  it('answers execute_kw with a bad key by an AccessDenied JSON-RPC error over HTTP 200', async () => {
    const res = await kw('res.partner', 'search', [[]], {}, 'not-the-key');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      jsonrpc: '2.0',
      error: {
        code: 200,
        message: 'Odoo Server Error',
        data: { name: 'odoo.exceptions.AccessDenied', message: 'Access Denied', arguments: ['Access Denied'], context: {} },
      },
    });
    expect(await result(kw('res.partner', 'search_count', [[]], {}, admin().apiKeys[0]))).toBe(0);
  });
});

describe('Odoo ORM over execute_kw', () => {
  it('creates partners and finds them with search_read domains, fields, order, offset and limit', async () => {
    const ids = await result(
      kw('res.partner', 'create', [
        [
          { name: 'Azure Interior', is_company: true, customer_rank: 1, email: 'azure@example.com' },
          { name: 'Deco Addict', is_company: true, customer_rank: 1 },
          { name: 'Joel Willis', email: 'joel@example.com' },
        ],
      ]),
    );
    expect(ids).toEqual([1, 2, 3]);
    const single = await result(kw('res.partner', 'create', [{ name: 'Ready Mat', is_company: true }]));
    expect(single).toBe(4);

    const companies = await result(
      kw('res.partner', 'search_read', [[['is_company', '=', true]]], {
        fields: ['name', 'email'],
        order: 'name desc',
        offset: 1,
        limit: 2,
      }),
    );
    expect(companies).toEqual([
      { id: 2, name: 'Deco Addict', email: false },
      { id: 1, name: 'Azure Interior', email: 'azure@example.com' },
    ]);
    const either = await result(kw('res.partner', 'search', [['|', ['email', 'ilike', 'joel'], ['name', '=like', 'Ready%']]]));
    expect(either).toEqual([3, 4]);

    clock.advance(60_000);
    await result(kw('res.partner', 'write', [[3], { phone: '+1 555 0100' }]));
    const changed = await result(
      kw('res.partner', 'search_read', [[['write_date', '>', '2026-03-02 09:00:00']]], { fields: ['name', 'write_date'] }),
    );
    expect(changed).toEqual([{ id: 3, name: 'Joel Willis', write_date: '2026-03-02 09:01:00' }]);
  });

  it('creates a sale order with one2many lines, totals it, and confirms it into a delivery', async () => {
    const partner = await result(kw('res.partner', 'create', [{ name: 'Gemini Furniture' }]));
    const wrap = await result(kw('product.product', 'create', [{ name: 'Pallet wrap', default_code: 'PW-500', list_price: 18.5 }]));
    const tape = await result(kw('product.product', 'create', [{ name: 'Tape', list_price: 2 }]));
    const order = await result(
      kw('sale.order', 'create', [
        {
          partner_id: partner,
          client_order_ref: 'PO-778',
          order_line: [
            [0, 0, { product_id: wrap, product_uom_qty: 6 }],
            [0, 0, { product_id: tape, product_uom_qty: 24, price_unit: 1.95 }],
          ],
        },
      ]),
    );
    const [read] = await result(
      kw('sale.order', 'read', [[order]], { fields: ['name', 'partner_id', 'state', 'amount_total', 'order_line'] }),
    );
    expect(read).toMatchObject({ name: 'S00001', partner_id: [partner, 'Gemini Furniture'], state: 'draft', amount_total: 157.8 });
    expect(read.order_line).toHaveLength(2);

    expect(await result(kw('sale.order', 'action_confirm', [[order]]))).toBe(true);
    const [confirmed] = await result(kw('sale.order', 'read', [[order], ['state']]));
    expect(confirmed.state).toBe('sale');
    const pickings = await result(
      kw('stock.picking', 'search_read', [[['origin', '=', 'S00001']]], { fields: ['name', 'state', 'partner_id'] }),
    );
    expect(pickings).toEqual([{ id: 1, name: 'WH/OUT/00001', state: 'assigned', partner_id: [partner, 'Gemini Furniture'] }]);

    const again = await kw('sale.order', 'action_confirm', [[order]]);
    expect(again.json.error.data).toMatchObject({
      name: 'odoo.exceptions.UserError',
      message: 'Some orders are not in a state requiring confirmation.',
    });
    const unlink = await kw('sale.order', 'unlink', [[order]]);
    expect(unlink.json.error.data.name).toBe('odoo.exceptions.UserError');
  });

  it('reports ValidationError, MissingError and ValueError in Odoo’s error shape', async () => {
    const missingName = await kw('res.partner', 'create', [{ email: 'x@y.z' }]);
    expect(missingName.json.error.data.name).toBe('odoo.exceptions.ValidationError');
    expect(missingName.json.error.data.message).toContain('Field: Name (name)');
    const gone = await kw('res.partner', 'read', [[99]], { fields: ['name'] });
    expect(gone.json.error.data).toMatchObject({
      name: 'odoo.exceptions.MissingError',
      message: expect.stringContaining('res.partner(99,)'),
    });
    const badField = await kw('res.partner', 'search', [[['shoe_size', '=', 9]]]);
    expect(badField.json.error.data.name).toBe('builtins.ValueError');
    const badModel = await kw('no.such.model', 'search', [[]]);
    expect(badModel.json.error.data).toMatchObject({ name: 'builtins.KeyError', message: "'no.such.model'" });
  });

  it('confirms a purchase order into a receipt and keeps archived partners out of searches', async () => {
    const vendor = sim.seed('res.partner', { name: 'Wood Corner', supplier_rank: 1 });
    sim.seed('res.partner', { name: 'Old Vendor', active: false });
    const product = sim.seed('product.product', { name: 'Pallet', standard_price: 7 });
    const po = await result(
      kw('purchase.order', 'create', [{ partner_id: vendor, order_line: [[0, 0, { product_id: product, product_qty: 10 }]] }]),
    );
    await result(kw('purchase.order', 'button_confirm', [[po]]));
    const [read] = await result(kw('purchase.order', 'read', [[po], ['state', 'amount_total', 'name']]));
    expect(read).toMatchObject({ state: 'purchase', amount_total: 70, name: 'P00001' });
    expect(await result(kw('stock.picking', 'search_count', [[['picking_type_code', '=', 'incoming']]]))).toBe(1);
    expect(await result(kw('res.partner', 'search_count', [[]]))).toBe(1);
    expect(await result(kw('res.partner', 'search_count', [[]], { context: { active_test: false } }))).toBe(2);
  });
});

describe('Odoo faults', () => {
  it('applies a create that times out after commit', async () => {
    sim.faults.arm({ kind: 'timeout-after-commit' });
    await expect(
      rpc('object', 'execute_kw', [sim.database, 2, 'admin', 'res.partner', 'create', [{ name: 'Late Ltd' }]], AbortSignal.timeout(300)),
    ).rejects.toThrow();
    expect(await result(kw('res.partner', 'search_count', [[['name', '=', 'Late Ltd']]]))).toBe(1);
  });

  it('answers an armed 502 with the HTML page the proxy in front of Odoo sends', async () => {
    await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ arm: [{ fault: { kind: 'status', status: 502 } }] }) });
    const res = await rpc('common', 'version', []);
    expect(res.status).toBe(502);
    expect(res.contentType).toContain('text/html');
    expect(res.text).toContain('<title>502 Bad Gateway</title>');
    expect((await rpc('common', 'version', [])).status).toBe(200);
  });
});
