import { defineConnector } from '../sdk/index.js';
import { type WmsCredentials, wmsCredentials } from './credentials.js';
import { asnsCreate } from './operations/asns.create.js';
import { inventoryAdjust } from './operations/inventory.adjust.js';
import { inventorySnapshot } from './operations/inventory.snapshot.js';
import { ordersCancel } from './operations/orders.cancel.js';
import { ordersRelease } from './operations/orders.release.js';
import { type WmsSettings, wmsSettingsSchema } from './settings.js';
import { WMS_SYSTEM, wmsTransport } from './transport.js';
import { wmsEventsTrigger } from './webhooks.js';

export const wmsConnector = defineConnector<WmsSettings, WmsCredentials>({
  id: 'wms',
  version: '1.0.0',
  system: WMS_SYSTEM,
  description: '3PL warehouse: order releases, cancels, ASNs and stock out; pick/pack/ship, exceptions and receipts in.',
  settings: wmsSettingsSchema,
  credentials: wmsCredentials,
  // The API key's token bucket; a 429 still pauses the budget for Retry-After.
  rateBudget: (settings) => ({ kind: 'token-bucket', perSecond: settings.rateLimit.perSecond, burst: settings.rateLimit.burst }),
  transport: wmsTransport,
  capabilities: [
    'orders.release',
    'orders.cancel',
    'inventory.snapshot',
    'inventory.adjust',
    'asns.create',
    'shipments.receive',
    'receipts.receive',
  ],
  operations: {
    'orders.release': ordersRelease,
    'orders.cancel': ordersCancel,
    'inventory.snapshot': inventorySnapshot,
    'inventory.adjust': inventoryAdjust,
    'asns.create': asnsCreate,
  },
  triggers: {
    events: wmsEventsTrigger,
  },
});
