import { z } from 'zod';
import type { SalesOrder } from '../../../canonical/index.js';
import type { WarehousePort } from '../ports.js';
import type { AnyInstance } from './invoke.js';
import { invoke, isNotFound } from './invoke.js';

const released = z.object({ externalId: z.string(), reference: z.string(), status: z.string(), warehouse: z.string() });
const cancelled = z.object({ externalId: z.string(), status: z.string() });

/** The warehouse port on the 3PL/WMS connector (release keyed by the crossdock order id). */
export function wmsWarehouse(instance: AnyInstance): WarehousePort {
  return {
    system: 'wms',
    async release(order: SalesOrder, location?: string) {
      const r = await invoke(instance, 'orders.release', { order, ...(location ? { location: { code: location } } : {}) }, released);
      return { releaseId: r.externalId, warehouse: r.warehouse };
    },
    async cancelRelease({ orderId }) {
      try {
        await invoke(instance, 'orders.cancel', { orderId }, cancelled);
        return { found: true };
      } catch (err) {
        if (isNotFound(err)) return { found: false };
        throw err;
      }
    },
  };
}
