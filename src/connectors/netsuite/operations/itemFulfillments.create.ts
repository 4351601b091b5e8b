import { z } from 'zod';
import { ShipmentV1 } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import type { NetSuiteCredentials } from '../credentials.js';
import { itemFulfillmentRecord } from '../mappers/fulfillment.js';
import { createRecord } from '../records.js';
import type { NetSuiteSettings } from '../settings.js';

export const itemFulfillmentsCreateInput = z.object({ shipment: ShipmentV1 });

export const itemFulfillmentsCreate = defineOperation<
  NetSuiteSettings,
  NetSuiteCredentials,
  z.infer<typeof itemFulfillmentsCreateInput>,
  { id: string; created: boolean }
>({
  name: 'itemFulfillments.create',
  description: 'Records a canonical Shipment as an itemFulfillment of its sales order, once.',
  input: itemFulfillmentsCreateInput,
  async run(ctx, input) {
    return createRecord(ctx, 'itemFulfillment', input.shipment.id, itemFulfillmentRecord(input.shipment), 'itemFulfillments.create');
  },
});
