import { z } from 'zod';
import { newId } from '../../kernel/index.js';
import { defineFlow, type FlowDefinition } from '../../workflow/index.js';
import type { ExceptionSink, PurchaseOrderInput } from '../procure-to-pay/index.js';

const Decimal = z.string().regex(/^\d+(\.\d+)?$/);

/** One replenishment run: lines to buy, from a min/max review or a backordered sales order. */
export const ReplenishmentInput = z.strictObject({
  /** The business key: `backorder:<order>` or `min-max:<location>:<period>`; one run per key. */
  id: z.string().min(1).max(200),
  reason: z.strictObject({ kind: z.enum(['min-max', 'backorder']), ref: z.string().min(1) }),
  lines: z.array(z.strictObject({ item: z.string().min(1), location: z.string().min(1), quantity: Decimal })).min(1),
});
export type ReplenishmentInput = z.infer<typeof ReplenishmentInput>;

/** Where an item is bought for a location, and at what price. */
export interface SupplierSource {
  supplier: string;
  unitPrice: string;
  currency?: string;
}

/** The approved-supplier list: who supplies an item to a location (undefined: nobody). */
export interface SupplierCatalog {
  sourceOf(item: string, location: string): Promise<SupplierSource | undefined>;
}

/** Starts a procure-to-pay instance (one per PO number; a second start is a no-op). */
export type PurchaseOrderStarter = (po: PurchaseOrderInput, correlationid: string) => Promise<void>;

export interface ReplenishmentDeps {
  catalog: SupplierCatalog;
  startPurchaseOrder: PurchaseOrderStarter;
  exceptions: ExceptionSink;
}

export interface ReplenishmentResult {
  purchaseOrders: Array<{ poNumber: string; supplier: string; location: string; lines: number }>;
  unsourced: string[];
}

export const REPLENISHMENT = 'replenishment';

/**
 * replenishment: groups the lines by supplier and location, gives each group a PO number (journaled,
 * so a replay reuses it) and starts one procure-to-pay per PO. Items nobody supplies raise an exception.
 */
export function replenishmentFlow(deps: ReplenishmentDeps): FlowDefinition<ReplenishmentInput, ReplenishmentResult> {
  return defineFlow<ReplenishmentInput, ReplenishmentResult>({
    name: REPLENISHMENT,
    version: 1,
    description: 'Min/max or backorder lines -> purchase orders per supplier and location -> procure-to-pay.',
    input: ReplenishmentInput,
    key: (input) => input.id,
    run: async (ctx, input) => {
      const plan = await ctx.step('source', async () => {
        const groups = new Map<string, { supplier: string; location: string; currency: string; lines: PurchaseOrderInput['lines'] }>();
        const unsourced: string[] = [];
        for (const l of input.lines) {
          const source = await deps.catalog.sourceOf(l.item, l.location);
          if (!source) {
            unsourced.push(l.item);
            continue;
          }
          const key = `${source.supplier}|${l.location}`;
          const group = groups.get(key) ?? {
            supplier: source.supplier,
            location: l.location,
            currency: source.currency ?? 'USD',
            lines: [],
          };
          group.lines.push({ line: String(group.lines.length + 1), item: l.item, quantity: l.quantity, unitPrice: source.unitPrice });
          groups.set(key, group);
        }
        // PO numbers are made here, once: the journal keeps them, so a replay starts the same POs.
        return { pos: [...groups.values()].map((g) => ({ poNumber: `PO${newId()}`, ...g })), unsourced };
      });
      if (plan.unsourced.length > 0) {
        await ctx.step('exception.unsourced', () =>
          deps.exceptions.raise({
            category: 'replenishment.no-source',
            title: `No supplier for ${plan.unsourced.join(', ')} (${input.reason.kind} ${input.reason.ref})`,
            source: 'flow/replenishment',
            subject: `replenishment/${input.id}`,
            correlationid: ctx.correlationid,
            dedupeKey: `replenishment:${input.id}:unsourced`,
            detail: { items: plan.unsourced },
          }),
        );
      }
      for (const [i, po] of plan.pos.entries()) {
        await ctx.step(`start-po.${i}`, () =>
          deps.startPurchaseOrder(
            {
              poNumber: po.poNumber,
              supplier: po.supplier,
              location: po.location,
              currency: po.currency,
              lines: po.lines,
              reason: input.reason,
            },
            ctx.correlationid,
          ),
        );
      }
      return {
        purchaseOrders: plan.pos.map((p) => ({ poNumber: p.poNumber, supplier: p.supplier, location: p.location, lines: p.lines.length })),
        unsourced: plan.unsourced,
      };
    },
  });
}
