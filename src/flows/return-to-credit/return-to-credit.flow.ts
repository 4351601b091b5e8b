import { CrossdockError, defineError } from '../../kernel/index.js';
import { defineFlow, type FlowDefinition } from '../../workflow/index.js';
import { money } from '../procure-to-pay/index.js';
import { closeFailure } from '../shared/failure.js';
import { type Disposition, type ReturnInspection, ReturnRequest, type ReturnRequestInput } from './documents.js';
import type { ReturnToCreditDeps } from './ports.js';

export const R2cErrors = {
  notReceived: defineError('CD_ERR_R2C_NOT_RECEIVED', { class: 'business', title: 'The returned goods did not arrive in time' }),
} as const;

/** Signals return-to-credit waits for, keyed by RMA number. */
export const R2C_SIGNALS = {
  inspected: 'crossdock.return.inspected.v1',
} as const;

export interface ReturnToCreditResult {
  returnId: string;
  rmaNumber: string;
  outcome: 'credited' | 'declined';
  creditMemoId: string | null;
  amount: string;
  disposition: Disposition[];
  caseId: string;
}

export const RETURN_TO_CREDIT = 'return-to-credit';

/** Restock what arrived sound, scrap what arrived damaged or was returned for a scrap reason; credit per policy. */
export function dispose(
  request: ReturnRequest,
  inspection: ReturnInspection,
  policy: { scrapReasons: readonly string[]; creditDamaged: boolean },
): Disposition[] {
  return request.lines.map((l) => {
    const seen = inspection.lines.find((i) => i.item === l.item);
    const received = Math.min(seen?.received ?? 0, l.quantity);
    const damaged = Math.min(seen?.damaged ?? 0, received);
    const sound = received - damaged;
    const scrapAll = policy.scrapReasons.includes(l.reason);
    return {
      item: l.item,
      restock: scrapAll ? 0 : sound,
      scrap: scrapAll ? received : damaged,
      credited: policy.creditDamaged ? received : sound,
      unitPrice: l.unitPrice,
    };
  });
}

/**
 * return-to-credit, one instance per return: RMA in the ERP -> CRM case and channel told ->
 * WMS expects the goods -> inspection -> restock or scrap -> credit memo -> refund status to the
 * channel, CRM case closed. Until the goods arrive a failure undoes everything; after, nothing is
 * undone (the goods are back) and an operator retry finishes the return.
 */
export function returnToCreditFlow(deps: ReturnToCreditDeps): FlowDefinition<ReturnRequestInput, ReturnToCreditResult> {
  return defineFlow<ReturnRequestInput, ReturnToCreditResult>({
    name: RETURN_TO_CREDIT,
    version: 1,
    description: 'Return request -> RMA -> WMS inspection -> restock/scrap -> credit memo -> channel and CRM.',
    input: ReturnRequest,
    key: (input) => input.returnId,
    run: async (ctx, input) => {
      const request = ReturnRequest.parse(input);
      const policy = deps.policy(request);
      const state = { committed: false };
      const unlessCommitted = (undo: () => Promise<unknown>) => async () => {
        if (!state.committed) await undo();
      };
      const subject = `return/${request.returnId}`;
      try {
        const { rmaNumber } = await ctx.step('erp.authorize-rma', () => deps.erp.authorizeReturn(request), {
          compensate: unlessCommitted(() => deps.erp.cancelReturn(request.returnId)),
        });
        await ctx.step(
          'crm.case-authorized',
          () => deps.crm.upsertReturnCase(request, { status: 'Working', description: `RMA ${rmaNumber} authorized` }),
          {
            compensate: unlessCommitted(() =>
              deps.crm.upsertReturnCase(request, { status: 'Closed', description: `RMA ${rmaNumber} cancelled` }),
            ),
          },
        );
        await ctx.step('channel.authorized', () => deps.channel.refundStatus(request, { state: 'authorized' }), {
          compensate: unlessCommitted(() => deps.channel.refundStatus(request, { state: 'cancelled' })),
        });
        await ctx.step(
          'wms.expect-return',
          () =>
            deps.warehouse.expectReturn({
              reference: rmaNumber,
              location: request.location,
              customer: request.customer,
              lines: request.lines.map((l) => ({ item: l.item, quantity: l.quantity })),
            }),
          { compensate: unlessCommitted(() => deps.warehouse.cancelExpected(rmaNumber, request.location)) },
        );
        const inspected = await ctx.waitFor<ReturnInspection>('wait.inspection', R2C_SIGNALS.inspected, {
          key: rmaNumber,
          timeoutMs: policy.receiveWithinMs,
        });
        if (inspected.timedOut) {
          await ctx.step('exception.not-received', () =>
            deps.exceptions.raise({
              category: 'return.not-received',
              title: `Return ${request.returnId} (${rmaNumber}) did not arrive; the RMA was cancelled`,
              source: 'flow/return-to-credit',
              subject,
              correlationid: ctx.correlationid,
              severity: 'low',
              dedupeKey: `r2c:${request.returnId}:not-received`,
              detail: { rmaNumber, waitedMs: policy.receiveWithinMs },
            }),
          );
          throw R2cErrors.notReceived(`return ${request.returnId} was not received within ${policy.receiveWithinMs} ms`);
        }
        state.committed = true;
        const inspection = inspected.event;
        const disposition = dispose(request, inspection, policy);
        const restock = disposition.filter((d) => d.restock > 0).map((d) => ({ item: d.item, quantity: d.restock }));
        const scrap = disposition.filter((d) => d.scrap > 0).map((d) => ({ item: d.item, quantity: d.scrap }));
        if (restock.length > 0) await ctx.step('stock.restock', () => deps.stock.restock(request.returnId, request.location, restock));
        if (scrap.length > 0) await ctx.step('stock.scrap', () => deps.stock.scrap(request.returnId, request.location, scrap));
        await ctx.step('erp.close-rma', () =>
          deps.erp.closeReturn(
            request.returnId,
            inspection.lines.map((l) => ({ item: l.item, quantity: l.received })),
          ),
        );
        const short = request.lines.filter((l) => (inspection.lines.find((i) => i.item === l.item)?.received ?? 0) < l.quantity);
        if (short.length > 0) {
          await ctx.step('exception.short-return', () =>
            deps.exceptions.raise({
              category: 'return.quantity-short',
              title: `Return ${request.returnId}: fewer units arrived than authorized`,
              source: 'flow/return-to-credit',
              subject,
              correlationid: ctx.correlationid,
              severity: 'low',
              dedupeKey: `r2c:${request.returnId}:short`,
              detail: { disposition },
            }),
          );
        }
        const amount = money.format(money.sum(disposition.map((d) => money.times(String(d.credited), d.unitPrice))), 2);
        let creditMemoId: string | null = null;
        if (money.cmp(money.dec(amount), money.dec('0')) > 0) {
          creditMemoId = (await ctx.step('erp.credit-memo', () => deps.erp.postCreditMemo(request, amount))).creditMemoId;
        }
        const outcome = creditMemoId ? 'credited' : 'declined';
        await ctx.step('channel.refund-status', () =>
          deps.channel.refundStatus(request, {
            state: creditMemoId ? 'refunded' : 'declined',
            amount,
            ...(creditMemoId ? { creditMemoId } : {}),
          }),
        );
        const { caseId } = await ctx.step('crm.case-closed', () =>
          deps.crm.upsertReturnCase(request, {
            status: 'Closed',
            description: creditMemoId
              ? `Credited ${amount} ${request.currency} (credit memo ${creditMemoId})`
              : 'Nothing creditable arrived',
          }),
        );
        await closeFailure(ctx, deps.exceptions, `r2c:${request.returnId}:failed`);
        return { returnId: request.returnId, rmaNumber, outcome, creditMemoId, amount, disposition, caseId };
      } catch (err) {
        if (!(err instanceof CrossdockError && err.code === R2cErrors.notReceived.code)) {
          const message = err instanceof Error ? err.message : String(err);
          await ctx.step('exception.flow-failed', () =>
            deps.exceptions.raise({
              category: 'return.flow-failed',
              title: `Return ${request.returnId} stopped: ${message}`,
              source: 'flow/return-to-credit',
              subject,
              correlationid: ctx.correlationid,
              severity: 'high',
              dedupeKey: `r2c:${request.returnId}:failed`,
              detail: { committed: state.committed, error: message },
              actions: state.committed ? [{ kind: 'retry-flow', flow: RETURN_TO_CREDIT, key: request.returnId }] : [],
            }),
          );
        }
        throw err;
      }
    },
  });
}
