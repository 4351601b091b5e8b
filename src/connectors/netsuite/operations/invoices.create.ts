import { z } from 'zod';
import { InvoiceV1 } from '../../../canonical/index.js';
import { ConnectorErrors, defineOperation } from '../../sdk/index.js';
import type { NetSuiteCredentials } from '../credentials.js';
import { invoiceRecord } from '../mappers/invoice.js';
import { createRecord } from '../records.js';
import type { NetSuiteSettings } from '../settings.js';

export const invoicesCreateInput = z.object({ invoice: InvoiceV1 });

export const invoicesCreate = defineOperation<
  NetSuiteSettings,
  NetSuiteCredentials,
  z.infer<typeof invoicesCreateInput>,
  { id: string; created: boolean }
>({
  name: 'invoices.create',
  description: 'Posts a canonical sales Invoice as a NetSuite invoice, once.',
  input: invoicesCreateInput,
  async run(ctx, input) {
    if (input.invoice.kind !== 'sales') {
      throw ConnectorErrors.mapping(`invoices.create takes a sales invoice; this one is ${input.invoice.kind}`, { path: 'invoice.kind' });
    }
    return createRecord(ctx, 'invoice', input.invoice.id, invoiceRecord(input.invoice), 'invoices.create');
  },
});
