import { z } from 'zod';
import { type AnyInstance, invoke } from '../../shared/adapters/invoke.js';
import type { ReturnRequest } from '../documents.js';
import type { ChannelRefunds } from '../ports.js';

const refunded = z.object({ refundId: z.string() }).loose();

/**
 * The Shopify order a return came from: the canonical id of a Shopify order (`shopify:<instance>:order:<id>`,
 * as order-to-cash names it) or a Shopify Order GID in the order or the source ref. A return whose
 * order is another system's (a CRM case on an ERP order) has none.
 */
export function shopifyOrderOf(request: Pick<ReturnRequest, 'order' | 'source'>): string | undefined {
  const canonical = /^shopify:[^:]+:order:(\d+)$/.exec(request.order);
  if (canonical) return canonical[1];
  for (const value of [request.order, request.source.ref]) {
    const gid = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(value);
    if (gid) return gid[1];
  }
  return undefined;
}

/**
 * Refund statuses for a Shopify channel: a credited return of a Shopify order becomes a refund of its
 * lines on the order (connector `refunds.create`, keyed by the return so a retried step refunds once);
 * every status, that one included, still goes to `events` for the other listeners. Other states and
 * returns of other orders only go to `events`.
 */
export function shopifyRefunds(instance: AnyInstance, events: ChannelRefunds): ChannelRefunds {
  return {
    async refundStatus(request, status) {
      const orderId = shopifyOrderOf(request);
      if (status.state === 'refunded' && orderId !== undefined) {
        const credited = status.amount ? ` credited ${status.amount} ${request.currency}` : '';
        const memo = status.creditMemoId ? ` (credit memo ${status.creditMemoId})` : '';
        await invoke(
          instance,
          'refunds.create',
          {
            orderId,
            refundKey: `r2c:${request.returnId}`.replace(/[\s\]]/g, '-'),
            note: `Return ${request.returnId}${credited}${memo}`,
            lines: request.lines.map((l) => ({ sku: l.item, quantity: l.quantity })),
          },
          refunded,
        );
      }
      await events.refundStatus(request, status);
    },
  };
}
