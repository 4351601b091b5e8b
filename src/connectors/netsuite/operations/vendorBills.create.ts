import { z } from 'zod';
import { InvoiceV1 } from '../../../canonical/index.js';
import { ConnectorErrors, defineOperation } from '../../sdk/index.js';
import type { NetSuiteCredentials } from '../credentials.js';
import { vendorBillRecord } from '../mappers/invoice.js';
import { createRecord } from '../records.js';
import type { NetSuiteSettings } from '../settings.js';

export const vendorBillsCreateInput = z.object({ invoice: InvoiceV1 });

export const vendorBillsCreate = defineOperation<
  NetSuiteSettings,
  NetSuiteCredentials,
  z.infer<typeof vendorBillsCreateInput>,
  { id: string; created: boolean }
>({
  name: 'vendorBills.create',
  description: 'Enters a supplier (purchase) Invoice as a vendorBill, once.',
  input: vendorBillsCreateInput,
  async run(ctx, input) {
    if (input.invoice.kind !== 'purchase') {
      throw ConnectorErrors.mapping(`vendorBills.create takes a purchase invoice; this one is ${input.invoice.kind}`, {
        path: 'invoice.kind',
      });
    }
    return createRecord(ctx, 'vendorBill', input.invoice.id, vendorBillRecord(input.invoice), 'vendorBills.create');
  },
});
