import {
  type Customer,
  CustomerV1,
  type Envelope,
  eventTypeName,
  type FulfilmentPolicy,
  makeEvent,
  type SalesOrder,
  SalesOrderV1,
  type Shipment,
} from '../../canonical/index.js';
import type { MasterData } from '../../domains/masterdata/index.js';
import { defineError } from '../../kernel/index.js';
import type { Tx } from '../../store/index.js';
import { defineFlow, type FlowContext, type FlowDefinition, type StepInfo } from '../../workflow/index.js';
import type { CreditLedger } from '../shared/credit.js';
import { absDifference, compareDecimal } from '../shared/decimal.js';
import { closeFailure } from '../shared/failure.js';
import type {
  ChannelPort,
  CrmPort,
  ErpPort,
  EventsPort,
  ExceptionsPort,
  StockLineResult,
  StockPort,
  WarehousePort,
} from '../shared/ports.js';
import { customerFromOrder, invoiceFor, newCustomerId, orderAmount, shipmentCase } from './documents.js';
import { O2cPolicy, type O2cPolicyInput } from './policy.js';
import { HOLD_SIGNAL, type Hold, HoldDecision, holdKey, O2C_FLOW, OrderHeldEvent, SHIPMENT_SIGNAL, ShipmentSignal } from './signals.js';

/** Errors order-to-cash raises itself. */
export const O2cErrors = {
  rejected: defineError('CD_ERR_O2C_REJECTED', { class: 'business', title: 'The order was rejected' }),
  alreadyShipped: defineError('CD_ERR_O2C_ALREADY_SHIPPED', { class: 'business', title: 'The order has shipped; it cannot be cancelled' }),
} as const;

/** What order-to-cash is composed of: ports onto the systems, the domains it uses, its policy. */
export interface O2cDeps {
  erp: ErpPort;
  warehouse: WarehousePort;
  crm?: CrmPort;
  channels?: readonly ChannelPort[];
  stock: StockPort;
  exceptions: ExceptionsPort;
  events: EventsPort;
  masterdata: MasterData;
  credit: CreditLedger;
  policy?: O2cPolicyInput;
}

/** How an order ended. */
export interface O2cResult {
  status: 'invoiced' | 'rejected' | 'killed';
  orderId: string;
  customerId?: string;
  erpOrderId?: string;
  releaseId?: string;
  shipmentId?: string;
  invoiceId?: string;
  /** The split order carrying backordered lines, when there is one. */
  backorderId?: string;
  reason?: string;
}

interface ResolvedCustomer {
  id: string;
  erpId: string;
  refs: Record<string, string>;
  customer: Customer;
  created: boolean;
}

const SOURCE = 'crossdock://flow/order-to-cash';

/**
 * order-to-cash (ARCHITECTURE §6), version 1: customer -> price -> credit -> allocation -> ERP
 * booking -> warehouse release -> shipment (SLA) -> milestones -> invoice. Every side effect is a
 * journaled step; those that must be undone on cancellation carry their compensation, keyed by the
 * order id (known before the call), so an undo finds a booking that timed out after succeeding.
 */
export function createOrderToCashFlow(deps: O2cDeps): FlowDefinition<SalesOrder, O2cResult> {
  const policy = O2cPolicy.parse(deps.policy ?? {});
  const channels = deps.channels ?? [];

  return defineFlow<SalesOrder, O2cResult>({
    name: O2C_FLOW,
    version: 1,
    description: 'Order-to-cash: checks, allocation, ERP booking, warehouse release, shipment, invoice.',
    input: SalesOrderV1,
    key: (order) => order.id,
    retry: { maxAttempts: 10, baseMs: 200, maxMs: 30_000 },
    async run(ctx, order) {
      // Once the warehouse has shipped, the goods are gone: compensations read `state` when they run
      // (after the replay) and do nothing, and a failure leaves the order for an operator's retry.
      const state = { shipped: false };
      const unlessShipped =
        <T>(undo: (result: T | undefined, info: StepInfo) => Promise<void>) =>
        async (result: T | undefined, info: StepInfo) => {
          if (!state.shipped) await undo(result, info);
        };
      // The undo of a step that failed for good. The engine registers it in the pass where the step
      // failed, but a later (compensation) pass replays the failed step without it, so the flow runs
      // it itself, journaled inside `exception.flow-failed` (idempotent: running twice is harmless).
      let failedUndo: (() => Promise<void>) | undefined;
      const undoable = <T>(
        id: string,
        fn: (info: StepInfo) => Promise<T>,
        undo: (result: T | undefined, info: StepInfo) => Promise<void>,
      ): Promise<T> => {
        const guarded = unlessShipped(undo);
        return ctx.step(id, fn, { compensate: guarded }).catch((err: unknown) => {
          failedUndo = () => guarded(undefined, stepInfo(ctx, id));
          throw err;
        });
      };
      // The same for a change in the hub's own store, made in the step's transaction: a failed one
      // left nothing behind, so only a done one is undone (by the engine).
      const undoableInStore = <T>(
        id: string,
        fn: (tx: Tx) => Promise<T>,
        undo: (result: T | undefined, info: StepInfo) => Promise<void>,
      ): Promise<T> => ctx.atomic(id, fn, { compensate: unlessShipped(undo) });
      try {
        const result = await orderToCash();
        await closeFailure(ctx, deps.exceptions, `order.flow-failed:${order.id}`);
        return result;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        // An engine interruption (suspend, replay stop) passes straight through: ctx.step rethrows it.
        await ctx.step('exception.flow-failed', async () => {
          // Best effort: if it fails, the engine's own compensation of the step retries or reports it.
          await failedUndo?.().catch(() => undefined);
          return deps.exceptions.raise({
            category: 'order.flow-failed',
            title: `Order ${order.orderNumber ?? order.id} stopped: ${message}`.slice(0, 500),
            detail: { orderId: order.id, shipped: state.shipped, error: message },
            severity: 'high',
            source: SOURCE,
            subject: `order/${order.id}`,
            dedupeKey: `order.flow-failed:${order.id}`,
            correlationid: ctx.correlationid,
            // Before shipment everything was undone; after it nothing was: fixing the cause and
            // retrying finishes the order (every write is keyed, so nothing is written twice).
            actions: state.shipped ? [{ kind: 'retry-flow', flow: O2C_FLOW, key: order.id }] : [],
          });
        });
        throw err;
      }

      async function orderToCash(): Promise<O2cResult> {
        // Events are published in the step's own transaction (the outbox): once, with the journal entry.
        const publish = (id: string, type: string, data: unknown) =>
          ctx.atomic(`evt.${id}`, async (tx, info) => {
            await deps.events.publish(policy.ordersTopic, [event(info, type, order, data, ctx.correlationid)], { tx });
          });
        const orderKey = { orderId: order.id, ...(order.orderNumber ? { orderNumber: order.orderNumber } : {}) };
        const channel = channels.find((c) => c.owns(order));

        // The first step's undo runs last: a cancelled order says so once everything else is undone.
        await ctx.atomic('order.start', async () => ({ at: new Date().toISOString() }), {
          compensate: unlessShipped(async (_r, info) => {
            await deps.events.publish(policy.ordersTopic, [
              event(
                { ...info, idempotencyKey: `${info.idempotencyKey}:cancelled` },
                eventTypeName('order.cancelled'),
                order,
                { ...orderKey, lineNumbers: [] },
                ctx.correlationid,
              ),
            ]);
          }),
        });

        // 1. Customer, through the cross-reference; created in the ERP when unknown and allowed.
        const customer = await ctx.step('customer.resolve', () => resolveCustomer(deps, policy, order));
        if (!customer) return reject(ctx, 'customer', `the customer of order ${order.id} is unknown and policy does not create customers`);
        const priced: SalesOrder = { ...order, customer: { id: customer.id, refs: customer.refs } };

        // 2. Price check against the ERP: a mismatch holds the order with both prices shown.
        const mismatches = await ctx.step('price.check', async () => {
          const skus = [...new Set(order.lines.map((l) => l.item.sku).filter((s): s is string => Boolean(s)))];
          const prices = skus.length > 0 ? await deps.erp.prices({ skus, currency: order.currency, customerErpId: customer.erpId }) : {};
          const out: Array<{ lineNumber: string; sku: string; orderPrice: string; erpPrice: string | null }> = [];
          for (const l of order.lines) {
            if (!l.item.sku || !l.unitPrice) continue;
            const erpPrice = prices[l.item.sku];
            if (erpPrice === undefined || compareDecimal(absDifference(l.unitPrice.amount, erpPrice), policy.priceTolerance) > 0)
              out.push({ lineNumber: l.lineNumber, sku: l.item.sku, orderPrice: l.unitPrice.amount, erpPrice: erpPrice ?? null });
          }
          return out;
        });
        if (mismatches.length > 0) {
          const first = mismatches[0];
          const released = await hold(ctx, 'price', {
            category: 'order.price-mismatch',
            title: `Price mismatch on order ${order.orderNumber ?? order.id}: line ${first?.lineNumber} ${first?.sku} ordered at ${first?.orderPrice}, ERP price ${first?.erpPrice ?? 'none'}`,
            detail: { orderId: order.id, currency: order.currency, lines: mismatches },
          });
          if (!released) return reject(ctx, 'price', 'price mismatch not approved');
        }

        // 3. Credit check (a business branch: hold until an operator releases it).
        const amount = orderAmount(order);
        if (policy.creditCheck) {
          const decision = await ctx.atomic('credit.check', (tx) =>
            deps.credit.check(
              { customerId: customer.id, orderId: order.id, amount, limit: customer.customer.creditLimit?.amount ?? null },
              tx,
            ),
          );
          if (!decision.ok) {
            const released = await hold(ctx, 'credit', {
              category: 'order.credit-hold',
              title: `Credit hold on order ${order.orderNumber ?? order.id}: ${decision.orderAmount} with ${decision.exposure} open exceeds the limit ${decision.limit}`,
              detail: { orderId: order.id, customerId: customer.id, ...decision },
            });
            if (!released) return reject(ctx, 'credit', 'credit hold not released');
          }
        }
        await undoableInStore(
          'credit.expose',
          (tx) => deps.credit.expose({ customerId: customer.id, orderId: order.id, amount, currency: order.currency }, tx),
          () => deps.credit.withdraw(order.id),
        );
        await publish('accepted', eventTypeName('order.accepted'), priced);

        // 4. Allocation by the customer's terms.
        const fulfilment: FulfilmentPolicy = order.fulfilmentPolicy ?? customer.customer.fulfilmentPolicy ?? policy.defaultFulfilment;
        const stockLines = order.lines
          .filter((l) => l.status !== 'cancelled' && l.status !== 'rejected')
          .map((l) => ({ line: l.lineNumber, item: l.item.sku ?? l.item.id ?? '', qty: Number(l.quantity.value) }));
        const reserveRequest = {
          order: order.id,
          lines: stockLines,
          channel: order.channel ?? policy.defaultChannel,
          customer: customer.id,
        };
        const releaseStock = async () => void (await deps.stock.release({ order: order.id }));
        let reserved = await undoableInStore(
          'stock.reserve',
          (tx) => reserve(deps.stock, reserveRequest, fulfilment !== 'ship-complete', tx),
          releaseStock,
        );
        let backorderId: string | undefined;
        const short = reserved.filter((l) => l.reserved < l.requested);
        const anyReserved = reserved.some((l) => l.reserved > 0);
        if (short.length > 0) {
          const backordered = {
            ...orderKey,
            lines: short.map((l) => ({
              lineNumber: l.line,
              quantity: { value: String(l.requested - l.reserved), uom: uomOf(order, l.line) },
            })),
          };
          if (fulfilment === 'fill-or-kill') {
            if (!anyReserved) return reject(ctx, 'stock', 'fill-or-kill: nothing in stock', 'killed');
            await publish('killed', eventTypeName('order.cancelled'), {
              ...orderKey,
              reasonCode: 'fill-or-kill',
              lineNumbers: short.filter((l) => l.reserved === 0).map((l) => l.line),
            });
          } else {
            // The backorder event is what starts replenishment (procure-to-pay listens to it).
            await publish('backordered', eventTypeName('order.backordered'), backordered);
            if (fulfilment === 'partial-allowed' && anyReserved) {
              backorderId = `${order.id}-BO`.slice(0, 200);
              const split = splitOrder(order, backorderId, short);
              await ctx.atomic('backorder.split', async (tx, info) => {
                await deps.events.publish(
                  policy.ordersTopic,
                  [event(info, eventTypeName('order.received'), split, split, ctx.correlationid)],
                  { tx },
                );
                return backorderId;
              });
            } else {
              // Ship complete (or nothing at all in stock): wait for stock, then try again.
              let attempt = 1;
              while (reserved.some((l) => l.reserved < l.requested)) {
                if (attempt > policy.backorderMaxAttempts)
                  return reject(ctx, 'stock', `no stock after ${policy.backorderMaxAttempts} attempts`);
                await ctx.sleep(`stock.wait.${attempt}`, policy.backorderRetryMs);
                reserved = await undoableInStore(
                  `stock.reserve.${attempt}`,
                  (tx) => reserve(deps.stock, reserveRequest, false, tx),
                  releaseStock,
                );
                attempt += 1;
              }
            }
          }
        }
        const shipping = shippingOrder(priced, reserved);
        await publish('allocated', eventTypeName('order.allocated'), {
          ...orderKey,
          lines: reserved.flatMap((l) =>
            l.locations.map((loc) => ({
              lineNumber: l.line,
              location: { code: loc.location },
              quantity: { value: String(loc.quantity), uom: uomOf(order, l.line) },
            })),
          ),
        });

        // 5. ERP booking; the ERP finds the order by its crossdock id, so the undo works after a timeout.
        const booked = await undoable(
          'erp.book',
          () => deps.erp.bookOrder(shipping),
          async (result) =>
            void (await deps.erp.cancelOrder({
              orderId: order.id,
              ...(result ? { erpId: result.id } : {}),
              reason: 'order cancelled in crossdock',
            })),
        );
        await publish('booked', eventTypeName('order.booked'), { ...orderKey, system: deps.erp.system, externalId: booked.id });
        if (deps.crm) {
          const crm = deps.crm;
          // The order reaches the CRM already Booked: one call for the sync and the milestone.
          await ctx.step('crm.sync', () =>
            crm.syncOrder(shipping, customer.customer, { status: 'Booked', note: `Booked in ${deps.erp.system} as ${booked.id}` }),
          );
        }

        // 6. Warehouse release; reserved stock becomes allocated.
        const location = shipping.shipFrom?.code ?? policy.location;
        const release = await undoable(
          'wms.release',
          () => deps.warehouse.release(shipping, location),
          async () => void (await deps.warehouse.cancelRelease({ orderId: order.id })),
        );
        await ctx.atomic('stock.commit', async (tx) => void (await deps.stock.commit({ order: order.id }, { tx })));
        await publish('released', eventTypeName('order.released'), {
          ...orderKey,
          location: { code: release.warehouse },
          releaseNumber: release.releaseId,
          lineNumbers: shipping.lines.map((l) => l.lineNumber),
        });
        if (deps.crm) {
          const crm = deps.crm;
          await ctx.step('crm.released', () =>
            crm.milestone(order.id, { status: 'Released', note: `Released to ${release.warehouse} as ${release.releaseId}` }),
          );
        }

        // 7. Wait for the shipment within the SLA; exceptions open a CRM case and hold billing.
        let shipment: Shipment | undefined;
        let billingHeld = false;
        let late = false;
        for (let n = 1; !shipment; n++) {
          const waited = await ctx.waitFor<unknown>(`shipment.${n}`, SHIPMENT_SIGNAL, {
            key: order.id,
            ...(late ? {} : { timeoutMs: policy.shipSlaMs }),
          });
          if (waited.timedOut) {
            late = true;
            await ctx.step(`sla.breach.${n}`, () =>
              deps.exceptions.raise({
                category: 'order.shipment-late',
                title: `Order ${order.orderNumber ?? order.id} not shipped within the SLA (${Math.round(policy.shipSlaMs / 3_600_000)} h) from ${release.warehouse}`,
                detail: { orderId: order.id, releaseId: release.releaseId, slaMs: policy.shipSlaMs },
                severity: 'high',
                source: SOURCE,
                subject: `order/${order.id}`,
                dedupeKey: `order.shipment-late:${order.id}`,
                warehouse: release.warehouse,
                correlationid: ctx.correlationid,
              }),
            );
            continue;
          }
          const signal = ShipmentSignal.parse(waited.event);
          if (signal.kind === 'dispatched') {
            shipment = signal.shipment;
            break;
          }
          billingHeld = true;
          const s = signal.shipment;
          await ctx.step(`shipment.exception.${n}`, async () => {
            const at = new Date().toISOString();
            const kase = deps.crm ? await deps.crm.openCase(shipmentCase(order, s, customer, at)) : undefined;
            await deps.exceptions.raise({
              category: 'order.shipment-exception',
              title: `Shipment exception on order ${order.orderNumber ?? order.id}: ${s.exception?.description ?? s.exception?.code ?? 'see the warehouse'}; billing is held`,
              detail: { orderId: order.id, shipmentId: s.id, exception: s.exception ?? null, caseId: kase?.id ?? null },
              severity: 'high',
              source: SOURCE,
              subject: `order/${order.id}`,
              dedupeKey: `order.shipment-exception:${order.id}`,
              warehouse: release.warehouse,
              correlationid: ctx.correlationid,
              actions: [{ kind: 'release-hold', flow: O2C_FLOW, key: order.id, signal: 'billing' }],
            });
          });
          await publish(`held.billing.${n}`, OrderHeldEvent.type, { orderId: order.id, hold: 'billing', reason: 'shipment exception' });
        }
        const shipped = shipment;
        state.shipped = true;
        if (late) await ctx.step('sla.clear', () => deps.exceptions.clear(`order.shipment-late:${order.id}`, `shipped as ${shipped.id}`));
        await publish('shipped', eventTypeName('order.shipped'), {
          ...orderKey,
          shipmentId: shipped.id,
          complete: true,
          lines: shipped.lines.map((l) => ({ lineNumber: l.orderLineNumber ?? l.lineNumber, quantity: l.quantity })),
        });
        if (channel) await ctx.step('channel.shipped', () => channel.shipped(order, shipped));
        if (deps.crm) {
          const crm = deps.crm;
          const tracking = shipped.trackingNumbers.join(', ');
          await ctx.step('crm.shipped', () =>
            crm.milestone(order.id, { status: 'Shipped', note: `Shipped ${shipped.id}${tracking ? ` tracking ${tracking}` : ''}` }),
          );
        }

        // 8. Billing (after an operator releases a billing hold) and the invoice everywhere.
        if (billingHeld) {
          const released = await waitForRelease(ctx, 'billing', null);
          if (released)
            await ctx.step('billing.clear', () => deps.exceptions.clear(`order.shipment-exception:${order.id}`, 'billing released'));
          else
            return {
              status: 'rejected',
              orderId: order.id,
              customerId: customer.id,
              erpOrderId: booked.id,
              releaseId: release.releaseId,
              shipmentId: shipped.id,
              reason: 'billing cancelled by an operator',
            };
        }
        const today = await ctx.step('invoice.date', async () => new Date().toISOString().slice(0, 10));
        const invoice = invoiceFor(
          { ...shipping, customer: { id: customer.id, refs: customer.refs } },
          shipped,
          { id: customer.id, refs: { ...customer.refs, [deps.erp.system]: customer.erpId } },
          today,
        );
        const posted = await ctx.step('erp.invoice', () =>
          deps.erp.postInvoice({ ...invoice, orders: [{ type: 'salesorder', id: order.id, refs: { [deps.erp.system]: booked.id } }] }),
        );
        // An invoiced order is no longer open: it stops counting against the customer's credit.
        await ctx.atomic('credit.settle', (tx) => deps.credit.withdraw(order.id, tx));
        await publish('invoice.posted', eventTypeName('invoice.posted'), { ...invoice, refs: { [deps.erp.system]: posted.id } });
        await publish('invoiced', eventTypeName('order.invoiced'), {
          ...orderKey,
          invoiceId: invoice.id,
          invoiceNumber: invoice.invoiceNumber,
        });
        if (channel) await ctx.step('channel.invoiced', () => channel.invoiced(order, invoice));
        if (deps.crm) {
          const crm = deps.crm;
          await ctx.step('crm.invoiced', () =>
            crm.milestone(order.id, { status: 'Invoiced', note: `Invoice ${invoice.invoiceNumber} (${deps.erp.system} ${posted.id})` }),
          );
        }
        return {
          status: 'invoiced',
          orderId: order.id,
          customerId: customer.id,
          erpOrderId: booked.id,
          releaseId: release.releaseId,
          shipmentId: shipped.id,
          invoiceId: posted.id,
          ...(backorderId ? { backorderId } : {}),
        };

        async function hold(
          c: FlowContext,
          kind: Hold,
          raise: { category: string; title: string; detail: Record<string, unknown> },
        ): Promise<boolean> {
          await c.step(`hold.${kind}.raise`, async () => {
            const r = await deps.exceptions.raise({
              ...raise,
              severity: 'medium',
              source: SOURCE,
              subject: `order/${order.id}`,
              dedupeKey: `${raise.category}:${order.id}`,
              correlationid: c.correlationid,
              ...(order.channel ? { channel: order.channel } : {}),
              dueInMs: policy.holdTimeoutMs,
              actions: [{ kind: 'release-hold', flow: O2C_FLOW, key: order.id, signal: kind }],
            });
            await deps.events.publish(policy.ordersTopic, [
              event(
                { ...stepInfo(c, `hold.${kind}`), idempotencyKey: `${c.flow}:${c.key}:held.${kind}` },
                OrderHeldEvent.type,
                order,
                { orderId: order.id, hold: kind, reason: raise.title.slice(0, 2000), exceptionId: r.id },
                c.correlationid,
              ),
            ]);
            if (deps.crm) await deps.crm.milestone(order.id, { status: 'On Hold', note: raise.title }).catch(() => undefined);
          });
          const released = await waitForRelease(c, kind, policy.holdTimeoutMs);
          await c.step(`hold.${kind}.clear`, () =>
            deps.exceptions.clear(`${raise.category}:${order.id}`, released ? 'released by an operator' : 'order rejected'),
          );
          return released;
        }

        async function reject(c: FlowContext, why: string, reason: string, status: 'rejected' | 'killed' = 'rejected'): Promise<O2cResult> {
          await c.atomic(`reject.${why}`, async (tx, info) => {
            await deps.events.publish(
              policy.ordersTopic,
              [
                event(
                  info,
                  eventTypeName('order.rejected'),
                  order,
                  { ...orderKey, reasons: [{ code: `o2c.${why}`, message: reason.slice(0, 2000) }] },
                  c.correlationid,
                ),
              ],
              { tx },
            );
            // An order that stops here holds nothing: give back stock and credit.
            await deps.stock.release({ order: order.id }, { tx });
            await deps.credit.withdraw(order.id, tx);
          });
          return { status, orderId: order.id, reason };
        }
      }
    },
  });
}

async function waitForRelease(ctx: FlowContext, kind: Hold, timeoutMs: number | null): Promise<boolean> {
  const waited = await ctx.waitFor<unknown>(`hold.${kind}`, HOLD_SIGNAL, {
    key: holdKey(ctx.key, kind),
    ...(timeoutMs !== null ? { timeoutMs } : {}),
  });
  if (waited.timedOut) return false;
  const decision = HoldDecision.safeParse(waited.event);
  return decision.success && decision.data.decision === 'release';
}

function stepInfo(ctx: FlowContext, step: string): StepInfo {
  return {
    flow: ctx.flow,
    key: ctx.key,
    step,
    attempt: 1,
    idempotencyKey: `${ctx.flow}:${ctx.key}:${step}`,
    correlationid: ctx.correlationid,
  };
}

/** An event whose id is the step's idempotency key: a step re-run after a crash publishes nothing new. */
function event(info: StepInfo, type: string, order: SalesOrder, data: unknown, correlationid: string): Envelope {
  const key = `order/${order.id}`;
  return makeEvent({ id: info.idempotencyKey.slice(0, 200), source: SOURCE, type, subject: key, partitionkey: key, correlationid, data });
}

async function resolveCustomer(deps: O2cDeps, policy: O2cPolicy, order: SalesOrder): Promise<ResolvedCustomer | null> {
  const md = deps.masterdata;
  const ref = order.customer;
  const rule = md.ruleFor('customer');
  const mayCreate = policy.createUnknownCustomers && (rule?.createUnknown ?? true);
  // The cross-reference's reads and writes before the ERP call in one store transaction, those after it in another.
  const known = await md.transaction(async (tx) => {
    const parse = (v: unknown) => CustomerV1.parse(v);
    const byId = ref?.id ? await md.get('customer', ref.id, parse, tx) : undefined;
    let id = byId ? ref?.id : undefined;
    id ??= ref?.refs ? await md.resolveRefs('customer', ref.refs, tx) : undefined;
    let created = false;
    let customer: Customer;
    if (id) {
      const record = id === ref?.id ? byId : await md.get('customer', id, parse, tx);
      customer = record?.data ?? customerFromOrder(order, id);
    } else {
      if (!mayCreate) return null;
      id = newCustomerId(order);
      customer = customerFromOrder(order, id);
      await md.put('customer', id, customer, 'crossdock', tx);
      created = true;
    }
    for (const [system, systemId] of Object.entries(ref?.refs ?? {}))
      await md.link({ kind: 'customer', canonicalId: id, system, systemId }, tx);
    const erpId = await md.systemId('customer', id, deps.erp.system, tx);
    return { id, customer, created, erpId, refs: erpId ? await md.refs('customer', id, tx) : undefined };
  });
  if (!known) return null;
  const { id, customer, created } = known;
  if (known.erpId && known.refs) return { id, erpId: known.erpId, refs: known.refs, customer, created };
  if (!mayCreate) return null;
  const erpId = (await deps.erp.createCustomer(customer)).id;
  const refs = await md.transaction(async (tx) => {
    await md.link({ kind: 'customer', canonicalId: id, system: deps.erp.system, systemId: erpId }, tx);
    return md.refs('customer', id, tx);
  });
  return { id, erpId, refs, customer, created };
}

async function reserve(
  stock: StockPort,
  request: Parameters<StockPort['reserve']>[0],
  partial: boolean,
  tx: Tx,
): Promise<StockLineResult[]> {
  const result = await stock.reserve({ ...request, partial }, { tx });
  return result.lines.map((l) => ({
    line: l.line,
    item: l.item,
    requested: l.requested,
    reserved: l.reserved,
    locations: l.locations.map((x) => ({ location: x.location, quantity: x.quantity })),
  }));
}

function uomOf(order: SalesOrder, line: string): string {
  return order.lines.find((l) => l.lineNumber === line)?.quantity.uom ?? 'EA';
}

/** The order as it ships now: reserved quantities, from the location stock was reserved at. */
function shippingOrder(order: SalesOrder, reserved: readonly StockLineResult[]): SalesOrder {
  const by = new Map(reserved.map((l) => [l.line, l]));
  const lines = order.lines
    .filter((l) => (by.get(l.lineNumber)?.reserved ?? 0) > 0)
    .map((l) => ({ ...l, quantity: { ...l.quantity, value: String(by.get(l.lineNumber)?.reserved ?? 0) } }));
  const location = reserved.flatMap((l) => l.locations).find((x) => x.quantity > 0)?.location;
  return { ...order, lines, ...(location && !order.shipFrom ? { shipFrom: { code: location } } : {}) };
}

/** The backordered remainder as its own order, shipped complete when stock arrives. */
function splitOrder(order: SalesOrder, id: string, short: readonly StockLineResult[]): SalesOrder {
  const by = new Map(short.map((l) => [l.line, l.requested - l.reserved]));
  return {
    ...order,
    id,
    ...(order.orderNumber ? { orderNumber: `${order.orderNumber}-BO`.slice(0, 100) } : {}),
    status: 'backordered',
    fulfilmentPolicy: 'ship-complete',
    ext: { ...order.ext, crossdock: { splitFrom: order.id } },
    lines: order.lines
      .filter((l) => by.has(l.lineNumber))
      .map((l) => ({ ...l, status: 'backordered' as const, quantity: { ...l.quantity, value: String(by.get(l.lineNumber)) } })),
  };
}
