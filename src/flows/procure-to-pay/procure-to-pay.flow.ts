import { CrossdockError } from '../../kernel/index.js';
import { defineFlow, type FlowContext, type FlowDefinition, type StepInfo } from '../../workflow/index.js';
import { closeFailure } from '../shared/failure.js';
import { acknowledgedLines, receiptDiscrepancies } from './acknowledgement.js';
import {
  type InvoiceDecision,
  type PurchaseOrder,
  PurchaseOrderInput,
  type SupplierAck,
  type SupplierAsn,
  type SupplierInvoice,
  type WarehouseReceipt,
} from './documents.js';
import { OWN_FAILURES, P2pErrors } from './errors.js';
import { P2P_SIGNALS } from './events.js';
import type { ProcureToPayDeps } from './ports.js';
import { threeWayMatch } from './three-way-match.js';

/** What a completed procure-to-pay instance reports. */
export interface ProcureToPayResult {
  poNumber: string;
  erpId: string;
  outcome: 'posted' | 'invoice-rejected';
  billId: string | null;
  expectedTotal: string;
  invoiceTotal: string;
  receiptDiscrepancies: number;
  acknowledged: Array<{ line: string; status: string; quantity: string; unitPrice: string }>;
}

export const PROCURE_TO_PAY = 'procure-to-pay';

/**
 * procure-to-pay, one instance per PO number: ERP PO -> supplier (EDI 850 or portal) -> ack ->
 * ASN -> WMS receipt -> three-way match -> ERP bill. Until the supplier ships (the ASN), a failure
 * undoes everything in reverse (ERP PO cancelled, supplier PO cancelled, expected receipts cleared).
 * After it the goods are real: nothing is undone, problems become exceptions an operator resolves.
 */
export function procureToPayFlow(deps: ProcureToPayDeps): FlowDefinition<PurchaseOrderInput, ProcureToPayResult> {
  return defineFlow<PurchaseOrderInput, ProcureToPayResult>({
    name: PROCURE_TO_PAY,
    version: 1,
    description: 'Purchase order to supplier, acknowledgement, ASN, receipt, three-way match, bill.',
    input: PurchaseOrderInput,
    key: (input) => input.poNumber,
    run: async (ctx, input) => {
      const po = PurchaseOrderInput.parse(input);
      const state = { committed: false };
      try {
        const result = await run(ctx, po, deps, state);
        await closeFailure(ctx, deps.exceptions, `p2p:${po.poNumber}:failed`);
        return result;
      } catch (err) {
        if (!(err instanceof CrossdockError && OWN_FAILURES.has(err.code))) {
          const message = err instanceof Error ? err.message : String(err);
          await ctx.step('exception.flow-failed', () =>
            deps.exceptions.raise({
              category: 'procurement.flow-failed',
              title: `PO ${po.poNumber} stopped: ${message}`,
              source: 'flow/procure-to-pay',
              subject: `po/${po.poNumber}`,
              partner: po.supplier,
              warehouse: po.location,
              correlationid: ctx.correlationid,
              severity: 'high',
              dedupeKey: `p2p:${po.poNumber}:failed`,
              detail: { committed: state.committed, error: message },
              // After the supplier shipped nothing was undone: fixing the cause and retrying finishes the PO.
              actions: state.committed ? [{ kind: 'retry-flow', flow: PROCURE_TO_PAY, key: po.poNumber }] : [],
            }),
          );
        }
        throw err;
      }
    },
  });
}

async function run(
  ctx: FlowContext,
  po: PurchaseOrder,
  deps: ProcureToPayDeps,
  state: { committed: boolean },
): Promise<ProcureToPayResult> {
  const policy = deps.policy(po.supplier);
  const channel = deps.supplierChannel(po.supplier);
  // Compensations read `state` when they run (after the replay), so once the supplier has shipped
  // they do nothing: received goods and in-transit stock are facts, not drafts.
  const unlessCommitted =
    <T>(undo: () => Promise<void>) =>
    async (_result: T | undefined, _info: StepInfo) => {
      if (!state.committed) await undo();
    };
  const raise = (
    id: string,
    category: string,
    title: string,
    detail: Record<string, unknown>,
    severity: 'low' | 'medium' | 'high' = 'medium',
  ) =>
    ctx.step(id, () =>
      deps.exceptions.raise({
        category,
        title,
        source: 'flow/procure-to-pay',
        subject: `po/${po.poNumber}`,
        partner: po.supplier,
        warehouse: po.location,
        correlationid: ctx.correlationid,
        severity,
        dedupeKey: `p2p:${po.poNumber}:${category}`,
        detail,
      }),
    );

  const { erpId } = await ctx.step('erp.create-po', () => deps.erp.createPurchaseOrder(po), {
    compensate: unlessCommitted(() => deps.erp.cancelPurchaseOrder(po.poNumber)),
  });
  await ctx.step('supplier.send-po', () => channel.sendPurchaseOrder(po), {
    compensate: unlessCommitted(() => channel.cancelPurchaseOrder(po)),
  });

  const ack = await ctx.waitFor<SupplierAck>('wait.ack', P2P_SIGNALS.ack, { key: po.poNumber, timeoutMs: policy.ackTimeoutMs });
  if (ack.timedOut) {
    await raise('exception.ack-overdue', 'supplier.ack-overdue', `${po.supplier} did not acknowledge PO ${po.poNumber}`, {
      timeoutMs: policy.ackTimeoutMs,
    });
    throw P2pErrors.ackOverdue(`no acknowledgement for PO ${po.poNumber} within ${policy.ackTimeoutMs} ms`);
  }
  const lines = acknowledgedLines(po.lines, ack.event);
  const open = lines.filter((l) => l.status !== 'rejected');
  if (open.length === 0) {
    await raise(
      'exception.po-rejected',
      'supplier.po-rejected',
      `${po.supplier} rejected every line of PO ${po.poNumber}`,
      { lines },
      'low',
    );
    throw P2pErrors.rejected(`PO ${po.poNumber} was rejected by ${po.supplier}`);
  }
  if (lines.some((l) => l.status !== 'accepted')) {
    await ctx.step('erp.apply-ack', () => deps.erp.applyAcknowledgement(po.poNumber, lines));
  }
  const eta = open.map((l) => l.shipDate).find((d) => d !== undefined);
  await ctx.step('ledger.expect', () => deps.ledger.expect(po.poNumber, po.location, open, eta), {
    compensate: unlessCommitted(() => deps.ledger.clear(po.poNumber, po.location)),
  });

  const asnWait = await ctx.waitFor<SupplierAsn>('wait.asn', P2P_SIGNALS.asn, { key: po.poNumber, timeoutMs: policy.asnTimeoutMs });
  if (asnWait.timedOut) {
    await raise('exception.asn-overdue', 'supplier.asn-overdue', `${po.supplier} did not ship PO ${po.poNumber} in time`, {
      timeoutMs: policy.asnTimeoutMs,
    });
    throw P2pErrors.asnOverdue(`no ASN for PO ${po.poNumber} within ${policy.asnTimeoutMs} ms`);
  }
  const asn = asnWait.event;
  state.committed = true;

  await ctx.step('ledger.in-transit', () => deps.ledger.inTransit(po.poNumber, po.location, asn.lines, asn.eta));
  await ctx.step('wms.expect-receipt', () =>
    deps.warehouse.expectReceipt({
      reference: po.poNumber,
      location: po.location,
      supplier: po.supplier,
      ...(asn.eta ? { eta: asn.eta } : {}),
      lines: asn.lines.map((l) => ({ item: l.item, quantity: Number(l.quantity) })),
    }),
  );

  let receiptWait = await ctx.waitFor<WarehouseReceipt>('wait.receipt', P2P_SIGNALS.receipt, {
    key: po.poNumber,
    timeoutMs: policy.receiptTimeoutMs,
  });
  if (receiptWait.timedOut) {
    await raise('exception.receipt-overdue', 'warehouse.receipt-overdue', `PO ${po.poNumber} (ASN ${asn.asnNumber}) not received yet`, {
      asn: asn.asnNumber,
      eta: asn.eta ?? null,
    });
    receiptWait = await ctx.waitFor<WarehouseReceipt>('wait.receipt-late', P2P_SIGNALS.receipt, { key: po.poNumber });
    await ctx.step('exception.receipt-overdue.clear', () =>
      deps.exceptions.clear(`p2p:${po.poNumber}:warehouse.receipt-overdue`, 'received'),
    );
  }
  if (receiptWait.timedOut) throw new Error('unreachable: a wait without timeout timed out');
  const receipt = receiptWait.event;
  await ctx.step('erp.record-receipt', () =>
    deps.erp.recordReceipt(
      po.poNumber,
      receipt.lines.map((l) => ({ item: l.item, quantity: l.received - l.damaged })),
    ),
  );
  await ctx.step('ledger.received', () => deps.ledger.clear(po.poNumber, po.location));
  const discrepancies = receiptDiscrepancies(asn, receipt);
  if (discrepancies.length > 0) {
    await raise(
      'exception.receipt-discrepancy',
      'supplier.receipt-discrepancy',
      `PO ${po.poNumber}: receipt differs from ASN ${asn.asnNumber} on ${discrepancies.length} item(s)`,
      { asn: asn.asnNumber, discrepancies },
    );
  }

  let invoiceWait = await ctx.waitFor<SupplierInvoice>('wait.invoice', P2P_SIGNALS.invoice, {
    key: po.poNumber,
    timeoutMs: policy.invoiceTimeoutMs,
  });
  if (invoiceWait.timedOut) {
    await raise('exception.invoice-overdue', 'supplier.invoice-overdue', `${po.supplier} has not invoiced PO ${po.poNumber}`, {}, 'low');
    invoiceWait = await ctx.waitFor<SupplierInvoice>('wait.invoice-late', P2P_SIGNALS.invoice, { key: po.poNumber });
    await ctx.step('exception.invoice-overdue.clear', () =>
      deps.exceptions.clear(`p2p:${po.poNumber}:supplier.invoice-overdue`, 'invoiced'),
    );
  }
  if (invoiceWait.timedOut) throw new Error('unreachable: a wait without timeout timed out');
  const invoice = invoiceWait.event;

  // Received good units are what is owed; damaged ones go back to the supplier (the discrepancy exception).
  const received: Record<string, string> = {};
  for (const l of receipt.lines) received[l.item] = String(Number(received[l.item] ?? '0') + l.received - l.damaged);
  const match = threeWayMatch({
    po: open.map((l) => ({ line: l.line, item: l.item, ordered: l.quantity, unitPrice: l.unitPrice })),
    received,
    invoice,
    tolerances: policy.tolerances,
  });
  let payable = match.invoiceTotal;
  if (!match.matched) {
    await raise(
      'exception.invoice-mismatch',
      'supplier.invoice-mismatch',
      `Invoice ${invoice.invoiceNumber} for PO ${po.poNumber} is outside tolerance (${match.difference})`,
      { invoice: invoice.invoiceNumber, ...match },
      'high',
    );
    const decided = await ctx.waitFor<InvoiceDecision>('wait.invoice-decision', P2P_SIGNALS.invoiceDecision, { key: po.poNumber });
    if (decided.timedOut) throw new Error('unreachable: a wait without timeout timed out');
    await ctx.step('exception.invoice-mismatch.clear', () =>
      deps.exceptions.clear(`p2p:${po.poNumber}:supplier.invoice-mismatch`, `${decided.event.decision} by ${decided.event.by}`),
    );
    if (decided.event.decision === 'reject') {
      return result(po, erpId, lines, 'invoice-rejected', null, match.expectedTotal, match.invoiceTotal, discrepancies.length);
    }
    payable = match.invoiceTotal;
  }
  const { billId } = await ctx.step('erp.post-bill', () => deps.erp.postVendorBill(po.poNumber, invoice, payable));
  return result(po, erpId, lines, 'posted', billId, match.expectedTotal, match.invoiceTotal, discrepancies.length);
}

function result(
  po: PurchaseOrder,
  erpId: string,
  lines: ReadonlyArray<{ line: string; status: string; quantity: string; unitPrice: string }>,
  outcome: ProcureToPayResult['outcome'],
  billId: string | null,
  expectedTotal: string,
  invoiceTotal: string,
  receiptDiscrepancies: number,
): ProcureToPayResult {
  return {
    poNumber: po.poNumber,
    erpId,
    outcome,
    billId,
    expectedTotal,
    invoiceTotal,
    receiptDiscrepancies,
    acknowledged: lines.map((l) => ({ line: l.line, status: l.status, quantity: l.quantity, unitPrice: l.unitPrice })),
  };
}
