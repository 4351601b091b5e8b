import { z } from 'zod';
import { defineEventType } from '../../canonical/index.js';

/** A refund status for the channel the customer asked on; the channel connector pushes it. */
export const ReturnRefundStatusData = z.object({
  returnId: z.string(),
  order: z.string(),
  channelRef: z.string(),
  state: z.enum(['authorized', 'refunded', 'declined', 'cancelled']),
  amount: z.string().optional(),
  creditMemoId: z.string().optional(),
});

export const ReturnRefundStatusEvent = defineEventType({
  type: 'crossdock.return.refund_status.v1',
  schema: ReturnRefundStatusData,
  description: 'Where a customer return stands (authorized, refunded, declined, cancelled), for the sales channel.',
});
