import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../src/canonical/index.js';
import { type Hub, startHub } from '../src/cli/runtime/hub.js';
import { createFlowsModule } from '../src/cli/runtime/modules/flows.module.js';
import { createP2pR2cModule, wireProcurement } from '../src/cli/runtime/modules/p2p-r2c.module.js';
import { availabilityEventTypes } from '../src/domains/availability/index.js';
import { StaticSupplierCatalog } from '../src/flows/replenishment/index.js';
import { loadConfig, silentLogger } from '../src/kernel/index.js';
import { type OdooSim, startOdooSim } from '../src/sim/odoo/index.js';
import { type SalesforceSim, startSalesforceSim } from '../src/sim/salesforce/index.js';
import { type SupplierSim, startSupplierSim } from '../src/sim/supplier/index.js';
import { startWmsSim, type WmsSim } from '../src/sim/wms/index.js';

/**
 * The procurement-returns module in a real embedded hub: a backorder event on the log becomes a PO
 * at the supplier portal and runs to a posted bill; a return posted to the API runs to a credit memo.
 */
describe('procure-to-pay and return-to-credit in a running hub', () => {
  let dir: string;
  let hub: Hub;
  let odoo: OdooSim;
  let wms: WmsSim;
  let supplier: SupplierSim;
  let salesforce: SalesforceSim;
  let key: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cd-p2p-hub-'));
    [odoo, wms, supplier, salesforce] = await Promise.all([
      startOdooSim(),
      startWmsSim({ rateLimit: { limit: 1000, refillPerSecond: 1000 } }),
      startSupplierSim(),
      startSalesforceSim(),
    ]);
    const config = loadConfig({ env: {}, overrides: { dataDir: dir, port: 0, log: { level: 'silent' } } });
    hub = await startHub(config, {
      logger: silentLogger(),
      // restocked returns go to availability as inventory movements (its module defines the type)
      eventTypes: availabilityEventTypes,
      modules: [
        createFlowsModule({ engine: { pollIntervalMs: 20 } }),
        createP2pR2cModule({
          timers: false,
          wiring: (ctx) =>
            wireProcurement(ctx, {
              odoo: { url: odoo.url, database: odoo.database, login: 'admin', apiKey: odoo.users[0]?.apiKeys[0] ?? '' },
              wms: { url: wms.url, apiKey: wms.apiKey },
              salesforce: {
                tokenUrl: salesforce.tokenUrl,
                dataUrl: salesforce.dataUrl,
                clientId: salesforce.clientId,
                clientSecret: salesforce.clientSecret,
              },
              suppliers: { BOLT: { channel: 'portal', portal: { url: supplier.url, apiKey: supplier.apiKey } } },
              catalog: new StaticSupplierCatalog([{ item: 'SKU-A', supplier: 'BOLT', unitPrice: '7.25' }]),
              defaultLocation: 'DC1',
            }),
        }),
      ],
    });
    await hub.identity.createUser('olivia', 'correct horse battery staple', 'operator');
    key = (await hub.identity.login('olivia', 'correct horse battery staple')).access_token;
  });
  afterAll(async () => {
    await hub?.stop();
    await Promise.all([odoo?.close(), wms?.close(), supplier?.close(), salesforce?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const pump = async () => {
    await hub.eventlog.drain({ timeoutMs: 5000 });
    const p = hub.services.procurement;
    if (!p) throw new Error('procurement service missing');
    for (let i = 0; i < 3; i += 1) {
      await p.engine.drain();
      await p.pump();
    }
    await p.engine.drain();
  };
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${hub.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('a backorder event buys the missing stock: PO at the supplier, in transit on the log, bill in Odoo', async () => {
    await hub.eventlog.publish('orders', [
      makeEvent({
        type: 'crossdock.backorder.created.v1',
        source: 'crossdock://flow/order-to-cash',
        partitionkey: 'SO-9',
        data: { order: 'SO-9', lines: [{ line: '1', item: 'SKU-A', location: 'DC1', quantity: '12' }] },
      }),
    ]);
    await pump();
    const [order] = [...supplier.state.orders.values()];
    if (!order) throw new Error('no PO reached the supplier');
    expect(order.lines.map((l) => [l.item, l.quantity, l.unitPrice])).toEqual([['SKU-A', '12', '7.25']]);
    for (const step of ['acknowledge', 'ship'] as const) {
      supplier[step](order.poNumber);
      await pump();
    }
    const inTransit = (await hub.eventlog.read('inventory', { limit: 10 })).map((e) => e.envelope);
    expect(inTransit.map((e) => [e.type, (e.data as { status: string }).status])).toEqual([['crossdock.asn.received.v1', 'in-transit']]);
    const asn = [...wms.state.asns.values()].find((a) => a.reference === order.poNumber);
    if (!asn) throw new Error('no ASN at the WMS');
    wms.receive(asn.id);
    await pump();
    supplier.invoice(order.poNumber);
    await pump();
    const res = await api('GET', `/v1/flows/procure-to-pay/${order.poNumber}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'completed', output: { outcome: 'posted', invoiceTotal: '87.00' } });
  });

  it('a return posted to the API runs to a credit memo; bad input is a problem+json naming the field', async () => {
    const bad = await api('POST', '/v1/flows/return-to-credit', { returnId: 'R-9', lines: [] });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const created = await api('POST', '/v1/flows/return-to-credit', {
      returnId: 'R-9',
      source: { system: 'crm', ref: '5001' },
      order: 'SO-9',
      customer: 'CUST-1',
      location: 'DC1',
      lines: [{ line: '1', item: 'SKU-A', quantity: 1, unitPrice: '9.99' }],
    });
    expect(created.status).toBe(201);
    await pump();
    const asn = [...wms.state.asns.values()].find((a) => a.reference === 'RMA-R-9');
    if (!asn) throw new Error('no expected return');
    wms.receive(asn.id);
    await pump();
    const view = await (await api('GET', '/v1/flows/return-to-credit/R-9')).json();
    expect(view).toMatchObject({ status: 'completed', output: { outcome: 'credited', amount: '9.99' } });
    // A sound unit is restocked: the warehouse's receipt already counts it, so no movement is published.
    const movements = (await hub.eventlog.read('inventory', { limit: 50 }))
      .map((e) => e.envelope)
      .filter((e) => e.type === 'crossdock.inventory.movement.v1' && e.subject === 'return/R-9');
    expect(movements).toEqual([]);
    const statuses = (await hub.eventlog.read('orders', { limit: 50 }))
      .map((e) => e.envelope)
      .filter((e) => e.type === 'crossdock.return.refund_status.v1');
    expect(statuses.map((e) => (e.data as { state: string }).state)).toEqual(['authorized', 'refunded']);
    expect((await api('GET', '/v1/flows/return-to-credit/nope')).status).toBe(404);
  });
});
