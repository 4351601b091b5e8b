import { z } from 'zod';
import { CustomerV1 } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import type { NetSuiteCredentials } from '../credentials.js';
import { customerRecord } from '../mappers/customer.js';
import { createRecord } from '../records.js';
import type { NetSuiteSettings } from '../settings.js';

export const customersCreateInput = z.object({ customer: CustomerV1 });

export const customersCreate = defineOperation<
  NetSuiteSettings,
  NetSuiteCredentials,
  z.infer<typeof customersCreateInput>,
  { id: string; created: boolean }
>({
  name: 'customers.create',
  description: 'Creates the customer record of a canonical Customer, once (externalId = crossdock id).',
  input: customersCreateInput,
  async run(ctx, input) {
    return createRecord(ctx, 'customer', input.customer.id, customerRecord(input.customer), 'customers.create');
  },
});
