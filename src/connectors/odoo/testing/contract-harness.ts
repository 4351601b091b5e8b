import { expect } from 'vitest';
import type { FaultPlan } from '../../../sim/kit/index.js';
import { type OdooSim, startOdooSim } from '../../../sim/odoo/index.js';
import type { ConnectorHarness } from '../../sdk/connector.contract.js';
import type { OdooCredentials } from '../credentials.js';
import { positionFromQuant } from '../mappers/inventory.js';
import { odooConnector } from '../odoo.connector.js';
import type { OdooSettings } from '../settings.js';

let sim: OdooSim;
let partner = 0;
let product = 0;
/** Set by armTimeoutAfterCommit: the fault is armed once the create is the next request on the wire. */
let armCreateFault: FaultPlan | undefined;

/** Settings for an instance on the simulator, whose sale.order has no `origin`: the key goes to client_order_ref. */
export function simSettings(url: string, overrides: Partial<OdooSettings> = {}): OdooSettings {
  return {
    url,
    rate: { perSecond: 20, burst: 20 },
    currency: 'USD',
    saleOrderKeyField: 'client_order_ref',
    purchaseOrderKeyField: 'partner_ref',
    pageSize: 10,
    changes: { model: 'sale.order', since: '1970-01-01 00:00:00' },
    timeoutMs: 1500,
    ...overrides,
  };
}

export const simCredentials = (target: OdooSim): OdooCredentials => ({
  database: target.database,
  login: 'admin',
  apiKey: target.users[0]?.apiKeys[0] ?? '',
});

/** `connectorContract('odoo', odooContractHarness)`. */
export const odooContractHarness: ConnectorHarness<OdooSettings, OdooCredentials> = {
  spec: odooConnector,
  async start() {
    sim = await startOdooSim();
    partner = sim.seed('res.partner', { name: 'Contract Customer', ref: 'cus-contract' });
    product = sim.seed('product.product', { name: 'Contract Widget', default_code: 'CW-1', list_price: 3 });
    return {
      settings: simSettings(sim.url),
      credentials: simCredentials(sim),
      badCredentials: { ...simCredentials(sim), apiKey: 'not-a-key' },
      faults: sim.faults,
      stop: () => sim.close(),
    };
  },
  read: (instance) => instance.invoke('products.list', { maxPages: 1 }),
  readPath: '/jsonrpc',
  // Odoo has no request rate limit of its own; 20 per second is our smoothing.
  simRatePerSecond: 20,
  pagination: {
    pageSize: 10,
    async seed(count) {
      for (let i = 0; i < count; i++) sim.seed('product.product', { name: `Seeded ${i}`, default_code: `SEED-${i}` });
    },
    async listKeys(instance) {
      const list = await instance.invoke('products.list', {});
      return Array.isArray(list) ? list.map((i) => JSON.stringify(i)) : [];
    },
  },
  create: {
    async run(instance, canonicalId) {
      if (armCreateFault) {
        // Log in first, so the one armed fault lands on the sale.order create and not on common.login.
        await instance.test();
        armCreateFault.arm({ kind: 'timeout-after-commit' }, { method: 'POST', pathIncludes: '/jsonrpc' });
        armCreateFault = undefined;
      }
      const order = {
        id: canonicalId,
        orderDate: '2026-03-02T09:00:00Z',
        currency: 'USD',
        customer: { refs: { odoo: String(partner) } },
        lines: [{ lineNumber: '1', item: { refs: { odoo: String(product) } }, quantity: { value: '2', uom: 'EA' } }],
      };
      const result = await instance.invoke('saleOrders.create', { order });
      return { externalId: typeof result === 'object' && result !== null && 'id' in result ? String(result.id) : '' };
    },
    async count(canonicalId) {
      return sim.state.search(sim.state.model('sale.order'), [['client_order_ref', '=', canonicalId]]).length;
    },
    path: '/jsonrpc',
    method: 'POST',
    armTimeoutAfterCommit(faults) {
      armCreateFault = faults;
    },
  },
  mapping: [
    {
      name: 'stock.quant -> InventoryPosition keeps product, location, on hand, reserved and lot',
      check() {
        const position = positionFromQuant(
          { id: 7, product_id: [3, 'Widget'], location_id: [1, 'WH/Stock'], quantity: 12.5, reserved_quantity: 2, lot_id: 'L-42' },
          '2026-03-02T09:00:00.000Z',
          'EA',
        );
        expect(position).toMatchObject({
          refs: { odoo: '7' },
          item: { refs: { odoo: '3' }, description: 'Widget' },
          location: { refs: { odoo: '1' }, name: 'WH/Stock' },
          onHand: { value: '12.5', uom: 'EA' },
          reserved: { value: '2', uom: 'EA' },
          reportedAvailable: { value: '10.5', uom: 'EA' },
          lots: [{ lot: 'L-42', quantity: { value: '12.5', uom: 'EA' } }],
        });
      },
    },
  ],
};
