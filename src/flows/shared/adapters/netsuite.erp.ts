import { z } from 'zod';
import type { Customer, Invoice, SalesOrder } from '../../../canonical/index.js';
import { RECORD_PATH } from '../../../connectors/netsuite/index.js';
import type { ConnectorInstance } from '../../../connectors/sdk/index.js';
import type { ErpPort } from '../ports.js';
import { invoke, isNotFound } from './invoke.js';

const created = z.object({ id: z.string(), created: z.boolean() });
const closed = z.object({ id: z.string(), closedLines: z.number() });
const itemSchema = z.looseObject({ id: z.string(), basePrice: z.union([z.number(), z.string()]).optional() });

export interface NetSuiteErpOptions {
  /** How long an item price read from NetSuite is reused (0: read every time). */
  priceCacheMs?: number;
}

/**
 * The ERP port on the NetSuite connector: customers, sales orders and invoices are created once
 * with the crossdock id as `externalId`; prices are the inventory item's `basePrice`.
 */
export function netsuiteErp(instance: ConnectorInstance<unknown, unknown>, options: NetSuiteErpOptions = {}): ErpPort {
  const cacheMs = options.priceCacheMs ?? 0;
  const cache = new Map<string, { price: string | undefined; until: number }>();

  async function price(sku: string): Promise<string | undefined> {
    const hit = cache.get(sku);
    if (hit && hit.until > Date.now()) return hit.price;
    let value: string | undefined;
    try {
      const res = await instance.ctx.http.request({
        method: 'GET',
        path: `${RECORD_PATH}/inventoryItem/eid:${encodeURIComponent(sku)}`,
        operation: 'items.price',
      });
      const item = itemSchema.safeParse(res.body);
      const base = item.success ? item.data.basePrice : undefined;
      value = base === undefined ? undefined : Number(base).toFixed(2);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (cacheMs > 0) cache.set(sku, { price: value, until: Date.now() + cacheMs });
    return value;
  }

  return {
    system: 'netsuite',
    async createCustomer(customer: Customer) {
      const r = await invoke(instance, 'customers.create', { customer }, created);
      return { id: r.id };
    },
    async prices({ skus }) {
      const found = await Promise.all(skus.map(async (sku) => [sku, await price(sku)] as const));
      return Object.fromEntries(found);
    },
    async bookOrder(order: SalesOrder) {
      const r = await invoke(instance, 'salesOrders.create', { order }, created);
      return { id: r.id };
    },
    async cancelOrder({ orderId, erpId, reason }) {
      try {
        await invoke(
          instance,
          'salesOrders.close',
          { order: { id: orderId, ...(erpId ? { refs: { netsuite: erpId } } : {}) }, reason },
          closed,
        );
        return { found: true };
      } catch (err) {
        if (isNotFound(err)) return { found: false };
        throw err;
      }
    },
    async postInvoice(invoice: Invoice) {
      const r = await invoke(instance, 'invoices.create', { invoice }, created);
      return { id: r.id };
    },
  };
}
