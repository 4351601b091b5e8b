import { join } from 'node:path';
import { z } from 'zod';
import { type Envelope, OrderBackorderedData, ReturnAuthorizationV1 } from '../../../canonical/index.js';
import { ExceptionQueue } from '../../../domains/exceptions/index.js';
import {
  type AnyInstance,
  BackorderCreatedData,
  BackorderCreatedEvent,
  backorderReplenishment,
  deliverSupplierDocument,
  deliverWarehouseReceipts,
  EdiInboxReader,
  EdiSupplierChannel,
  EventLogChannelRefunds,
  EventLogInboundLedger,
  EventLogReturnStock,
  InvoiceDecision,
  type MinMaxRuleInput,
  minMaxReplenishment,
  OdooPurchasing,
  OdooReturns,
  OdooRpc,
  type OdooTarget,
  P2P_SIGNALS,
  PortalInbox,
  PortalSupplierChannel,
  type PortalTarget,
  type ProcureToPayDeps,
  type ProjectedPosition,
  PurchaseOrderInput,
  procureToPayFlow,
  R2C_SIGNALS,
  ReturnPolicy,
  type ReturnPolicyInput,
  ReturnRefundStatusEvent,
  ReturnRequest,
  type ReturnToCreditDeps,
  replenishmentFlow,
  replenishmentForBackorder,
  returnRequestFromCanonical,
  returnToCreditFlow,
  SalesforceCases,
  type SalesforceTarget,
  type SupplierCatalog,
  type SupplierChannel,
  type SupplierDocument,
  SupplierPolicy,
  type SupplierPolicyInput,
  shopifyRefunds,
  type WarehouseReturns,
  WmsInbound,
  WmsReturns,
  type WmsTarget,
} from '../../../flows/index.js';
import { asCrossdockError, toProblem } from '../../../gateway/index.js';
import { Errors } from '../../../kernel/index.js';
import type { Tx } from '../../../store/index.js';
import type { WorkflowEngine } from '../../../workflow/index.js';
import type { HubContext, HubModule } from '../modules.js';

/** A source of supplier documents (an EDI mailbox or a supplier portal). */
export interface SupplierInbox {
  drain(deliver: (doc: SupplierDocument) => Promise<void>): Promise<number>;
}

/** What procure-to-pay, replenishment and return-to-credit run on in a hub. */
export interface ProcurementWiring {
  p2p: Omit<ProcureToPayDeps, 'exceptions'>;
  /** Without `warehouse`, returns are expected at `warehouse` below (the 3PL). */
  r2c: Omit<ReturnToCreditDeps, 'exceptions' | 'warehouse'> & { warehouse?: WarehouseReturns };
  catalog: SupplierCatalog;
  supplierInboxes: readonly SupplierInbox[];
  /** Polled for receipts of POs (reference `PO…`) and returns (`RMA-…`). */
  warehouse?: WmsInbound;
  /** Where backordered lines are bought for when the order names no ship-from location. */
  defaultLocation: string;
  /** A min/max review every `periodMs`. */
  minMax?: { rules: readonly MinMaxRuleInput[]; positionOf(item: string, location: string): ProjectedPosition; periodMs: number };
  /** How often inboxes and receipts are polled (default 2 s). */
  pollMs?: number;
}

/** What this module offers: its flows on the shared engine, and a pump for tests and the demo. */
export interface ProcurementService {
  readonly engine: WorkflowEngine;
  readonly procureToPay: ReturnType<typeof procureToPayFlow>;
  readonly replenishment: ReturnType<typeof replenishmentFlow>;
  readonly returnToCredit: ReturnType<typeof returnToCreditFlow>;
  /** Reads supplier inboxes and warehouse receipts once and delivers them to waiting flows. */
  pump(): Promise<void>;
}

/** The systems a standard wiring connects: Odoo, the 3PL, suppliers (EDI mailbox or portal), Salesforce. */
export interface ProcurementTargets {
  odoo: OdooTarget;
  wms: WmsTarget;
  salesforce: SalesforceTarget;
  suppliers: Record<string, SupplierPolicyInput & { portal?: PortalTarget; ediDir?: string; ids?: { buyer: string; supplier: string } }>;
  returnPolicy?: ReturnPolicyInput;
  catalog: SupplierCatalog;
  defaultLocation: string;
  /** Topic availability reads ASNs and inventory movements from. */
  inventoryTopic?: string;
  /** Topic refund statuses go to for the channel connectors. */
  channelTopic?: string;
  /** The hub's Shopify connector instance: credited returns of its orders are refunded on Shopify too. */
  shopify?: AnyInstance;
}

/**
 * The standard wiring: ERP Odoo (purchasing, RMAs, credit memos), the 3PL REST API, suppliers by
 * EDI mailbox (`ediDir`: `inbox/` for our 850s, `outbox/` for their 855/856/810) or portal, cases in
 * Salesforce, in transit and restock to availability and refund statuses to channels as events
 * (and, with `shopify`, credited returns of Shopify orders refunded on the order).
 */
export function wireProcurement(ctx: Pick<HubContext, 'eventlog'>, t: ProcurementTargets): ProcurementWiring {
  const rpc = new OdooRpc(t.odoo);
  const warehouse = new WmsInbound(t.wms);
  const channels = new Map<string, SupplierChannel>();
  const inboxes: SupplierInbox[] = [];
  for (const [supplier, s] of Object.entries(t.suppliers)) {
    if (s.channel === 'edi') {
      if (!s.ediDir) throw Errors.config(`supplier ${supplier}: an EDI supplier needs ediDir`, { path: `suppliers.${supplier}.ediDir` });
      const mailbox = {
        outbound: join(s.ediDir, 'inbox'),
        inbound: join(s.ediDir, 'outbox'),
        ids: s.ids ?? { buyer: 'CROSSDOCK', supplier },
      };
      channels.set(supplier, new EdiSupplierChannel(mailbox));
      inboxes.push(new EdiInboxReader(mailbox));
    } else {
      if (!s.portal) throw Errors.config(`supplier ${supplier}: a portal supplier needs portal`, { path: `suppliers.${supplier}.portal` });
      channels.set(supplier, new PortalSupplierChannel(s.portal, s.ids?.buyer ?? 'CROSSDOCK'));
      inboxes.push(new PortalInbox(s.portal));
    }
  }
  const policyOf = (supplier: string) => {
    const s = t.suppliers[supplier];
    if (!s) throw Errors.config(`no supplier ${supplier} is configured`, { path: `suppliers.${supplier}` });
    const { portal: _portal, ediDir: _ediDir, ids: _ids, ...policy } = s;
    return SupplierPolicy.parse(policy);
  };
  const inventoryTopic = t.inventoryTopic ?? 'inventory';
  const refundEvents = new EventLogChannelRefunds(ctx.eventlog, t.channelTopic ?? 'orders');
  return {
    p2p: {
      erp: new OdooPurchasing(rpc),
      supplierChannel: (supplier) => {
        const channel = channels.get(supplier);
        if (!channel) throw Errors.config(`no supplier ${supplier} is configured`, { path: `suppliers.${supplier}` });
        return channel;
      },
      warehouse,
      ledger: new EventLogInboundLedger(ctx.eventlog, inventoryTopic),
      policy: policyOf,
    },
    r2c: {
      erp: new OdooReturns(rpc),
      stock: new EventLogReturnStock(ctx.eventlog, inventoryTopic),
      channel: t.shopify ? shopifyRefunds(t.shopify, refundEvents) : refundEvents,
      crm: new SalesforceCases(t.salesforce),
      policy: () => ReturnPolicy.parse(t.returnPolicy ?? {}),
    },
    catalog: t.catalog,
    supplierInboxes: inboxes,
    warehouse,
    defaultLocation: t.defaultLocation,
  };
}

export interface P2pR2cModuleOptions {
  /** Builds the wiring; else `services.procurementWiring` set by an earlier module (e.g. the demo). */
  wiring?: (ctx: HubContext) => ProcurementWiring | undefined;
  /** Topics backorders and return requests arrive on. */
  topics?: readonly string[];
  /** Start the pollers and min/max timer (default true; tests pump by hand). */
  timers?: boolean;
}

const PoParams = z.object({ poNumber: z.string().min(1).max(40) });
const ReturnParams = z.object({ returnId: z.string().min(1).max(60) });
const O2cOrder = z.object({
  id: z.string(),
  shipFrom: z.object({ code: z.string().optional() }).passthrough().optional(),
  lines: z.array(
    z
      .object({ lineNumber: z.string(), item: z.object({ sku: z.string().optional(), id: z.string().optional() }).passthrough() })
      .passthrough(),
  ),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  throw Errors.validation(`${what} ${path || '(root)'}: ${issue?.message ?? 'invalid'}`, {
    path,
    issues: [{ path, message: issue?.message ?? 'invalid' }],
  });
}

/**
 * Procure-to-pay, replenishment and return-to-credit on the flows module's engine: backorders and
 * min/max reviews become purchase orders, supplier documents and warehouse receipts are delivered
 * to waiting flows, return requests become returns; operator routes under /v1/flows.
 */
export function createP2pR2cModule(options: P2pR2cModuleOptions = {}): HubModule {
  return {
    name: 'procurement-returns',
    eventTypes: [BackorderCreatedEvent, ReturnRefundStatusEvent],
    async start(ctx) {
      const engine = ctx.services.flows?.engine;
      const wiring = options.wiring ? options.wiring(ctx) : ctx.services.procurementWiring;
      if (!engine || !wiring) {
        ctx.logger.warn('procure-to-pay and return-to-credit are not running: no workflow engine or no procurement wiring');
        return;
      }
      const exceptions = ctx.services.exceptions ?? new ExceptionQueue(ctx.store);
      const p2p = procureToPayFlow({ ...wiring.p2p, exceptions });
      const warehouse = wiring.r2c.warehouse ?? (wiring.warehouse ? new WmsReturns(wiring.warehouse, exceptions) : undefined);
      if (!warehouse)
        throw Errors.config('return-to-credit needs a warehouse (wiring.warehouse or wiring.r2c.warehouse)', {
          path: 'procurement.warehouse',
        });
      const r2c = returnToCreditFlow({ ...wiring.r2c, warehouse, exceptions });
      const replenish = replenishmentFlow({
        catalog: wiring.catalog,
        exceptions,
        startPurchaseOrder: async (po, correlationid) => {
          await engine.start(p2p, po, { correlationid });
        },
      });
      engine.register(p2p).register(replenish).register(r2c);

      const onEvent = async (event: Envelope, tx: Tx) => {
        const start = { correlationid: event.correlationid, tx };
        if (event.type === BackorderCreatedEvent.type) {
          await engine.start(replenish, backorderReplenishment(BackorderCreatedData.parse(event.data)), start);
        } else if (event.type === 'crossdock.order.backordered.v1') {
          const backorder = OrderBackorderedData.parse(event.data);
          const o2c = await engine.get('order-to-cash', backorder.orderId);
          const order = O2cOrder.safeParse(o2c?.input);
          const run = order.success ? replenishmentForBackorder(backorder, order.data, wiring.defaultLocation) : undefined;
          if (run) await engine.start(replenish, run, start);
          else ctx.logger.warn({ order: backorder.orderId }, 'backorder without a readable sales order: nothing to replenish');
        } else if (event.type === 'crossdock.return.requested.v1') {
          const ra = ReturnAuthorizationV1.parse(event.data);
          await engine.start(r2c, returnRequestFromCanonical(event, ra, wiring.defaultLocation), start);
        }
      };
      for (const topic of options.topics ?? ['orders', 'returns']) {
        ctx.eventlog.subscribe({
          group: 'flows-procurement-returns',
          topic,
          types: [BackorderCreatedEvent.type, 'crossdock.order.backordered.v1', 'crossdock.return.requested.v1'],
          handler: (event, hctx) => onEvent(event, hctx.tx),
        });
      }

      const pump = async () => {
        const deliver = async (doc: SupplierDocument) => void (await deliverSupplierDocument(engine, doc));
        for (const inbox of wiring.supplierInboxes) await inbox.drain(deliver);
        if (wiring.warehouse) {
          await deliverWarehouseReceipts(engine, wiring.warehouse, P2P_SIGNALS.receipt, (ref) => ref.startsWith('PO'));
          await deliverWarehouseReceipts(engine, wiring.warehouse, R2C_SIGNALS.inspected, (ref) => ref.startsWith('RMA-'));
        }
      };
      ctx.services.procurement = { engine, procureToPay: p2p, replenishment: replenish, returnToCredit: r2c, pump };

      if (options.timers !== false) {
        let busy = false;
        const poll = setInterval(() => {
          if (busy) return;
          busy = true;
          pump()
            .catch((err: unknown) => ctx.logger.warn({ err }, 'procurement inbox poll failed'))
            .finally(() => {
              busy = false;
            });
        }, wiring.pollMs ?? 2000);
        poll.unref();
        const timers: NodeJS.Timeout[] = [poll];
        const minMax = wiring.minMax;
        if (minMax) {
          const review = setInterval(() => {
            const period = new Date(Math.floor(Date.now() / minMax.periodMs) * minMax.periodMs).toISOString();
            const run = minMaxReplenishment(period, minMax.rules, minMax.positionOf);
            if (run) engine.start(replenish, run).catch((err: unknown) => ctx.logger.warn({ err }, 'min/max review failed'));
          }, minMax.periodMs);
          review.unref();
          timers.push(review);
        }
        ctx.lifecycle.onStop('procurement-pollers', async () => {
          for (const t of timers) clearInterval(t);
        });
      }

      ctx.gateway.register(async (scope) => {
        scope.setErrorHandler((err, request, reply) => {
          const problem = toProblem(asCrossdockError(err), request.url);
          reply.code(problem.status).type('application/problem+json').send(problem);
        });
        const notFound = (detail: string) => ({ type: 'about:blank', title: 'Not found', status: 404, detail });
        scope.post('/v1/flows/procure-to-pay', { config: { scope: 'flows:write' } }, async (request, reply) => {
          const po = parse(PurchaseOrderInput, request.body, 'purchase order');
          const { started } = await engine.start(p2p, po);
          return reply.code(started ? 201 : 200).send({ poNumber: po.poNumber, started });
        });
        scope.get('/v1/flows/procure-to-pay/:poNumber', { config: { scope: 'flows:read' } }, async (request, reply) => {
          const { poNumber } = parse(PoParams, request.params, 'path');
          const view = await engine.get(p2p.name, poNumber);
          return (
            view ??
            reply
              .code(404)
              .type('application/problem+json')
              .send(notFound(`no procure-to-pay for ${poNumber}`))
          );
        });
        scope.post('/v1/flows/procure-to-pay/:poNumber/invoice-decision', { config: { scope: 'flows:write' } }, async (request) => {
          const { poNumber } = parse(PoParams, request.params, 'path');
          const decision = parse(InvoiceDecision, request.body, 'decision');
          return { delivered: await engine.signal(P2P_SIGNALS.invoiceDecision, poNumber, decision) };
        });
        scope.post('/v1/flows/return-to-credit', { config: { scope: 'flows:write' } }, async (request, reply) => {
          const r = parse(ReturnRequest, request.body, 'return request');
          const { started } = await engine.start(r2c, r);
          return reply.code(started ? 201 : 200).send({ returnId: r.returnId, started });
        });
        scope.get('/v1/flows/return-to-credit/:returnId', { config: { scope: 'flows:read' } }, async (request, reply) => {
          const { returnId } = parse(ReturnParams, request.params, 'path');
          const view = await engine.get(r2c.name, returnId);
          return (
            view ??
            reply
              .code(404)
              .type('application/problem+json')
              .send(notFound(`no return-to-credit for ${returnId}`))
          );
        });
      });
    },
  };
}

/** The module of a default hub: wiring comes from `services.procurementWiring` when an earlier module sets it. */
export const p2pR2cModule: HubModule = createP2pR2cModule();
