import { z } from 'zod';
import { ReceiptV1 } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import type { NetSuiteCredentials } from '../credentials.js';
import { itemReceiptRecord } from '../mappers/receipt.js';
import { createRecord } from '../records.js';
import type { NetSuiteSettings } from '../settings.js';

export const itemReceiptsCreateInput = z.object({ receipt: ReceiptV1 });

export const itemReceiptsCreate = defineOperation<
  NetSuiteSettings,
  NetSuiteCredentials,
  z.infer<typeof itemReceiptsCreateInput>,
  { id: string; created: boolean }
>({
  name: 'itemReceipts.create',
  description: 'Records a canonical Receipt as an itemReceipt of its purchase order, once.',
  input: itemReceiptsCreateInput,
  async run(ctx, input) {
    return createRecord(ctx, 'itemReceipt', input.receipt.id, itemReceiptRecord(input.receipt), 'itemReceipts.create');
  },
});
