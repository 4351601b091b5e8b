import { z } from 'zod';
import { DocumentRef, Text } from '../../../canonical/index.js';
import { ConnectorErrors, defineOperation } from '../../sdk/index.js';
import type { NetSuiteCredentials } from '../credentials.js';
import { NETSUITE } from '../mappers/refs.js';
import { readRecord } from '../records.js';
import type { NetSuiteSettings } from '../settings.js';
import { RECORD_PATH } from '../transport.js';

export const salesOrdersCloseInput = z.object({
  order: DocumentRef,
  reason: Text.min(1).optional(),
});

const linesSchema = z.object({ item: z.object({ items: z.array(z.looseObject({ line: z.number().optional() })) }) });

/**
 * Cancels what is left of a sales order the way NetSuite does it: every line is closed (`isClosed`),
 * so nothing more is fulfilled or billed. Setting a field to a value is safe to repeat.
 */
export const salesOrdersClose = defineOperation<
  NetSuiteSettings,
  NetSuiteCredentials,
  z.infer<typeof salesOrdersCloseInput>,
  { id: string; closedLines: number }
>({
  name: 'salesOrders.close',
  description: 'Closes every line of a sales order (NetSuite has no cancel for an approved order), with the reason in memo.',
  input: salesOrdersCloseInput,
  async run(ctx, input) {
    const key = input.order.refs?.[NETSUITE] ?? (input.order.id ? `eid:${input.order.id}` : undefined);
    if (!key) throw ConnectorErrors.mapping('order: needs refs.netsuite or the crossdock id', { path: 'order' });
    const record = await readRecord(ctx, 'salesOrder', key, 'salesOrders.close', true);
    if (!record) throw ConnectorErrors.notFound(`NetSuite has no salesOrder ${key}`, { path: 'order' });
    const lines = linesSchema.safeParse(record);
    const items = lines.success ? lines.data.item.items.map((l) => ({ ...l, isClosed: true })) : [];
    await ctx.http.request({
      method: 'PATCH',
      path: `${RECORD_PATH}/salesOrder/${record.id}`,
      body: { ...(input.reason ? { memo: input.reason } : {}), item: { items } },
      idempotent: true,
      operation: 'salesOrders.close',
    });
    return { id: record.id, closedLines: items.length };
  },
});
