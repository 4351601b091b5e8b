import type { BackorderCreated } from '../procure-to-pay/index.js';
import { type MinMaxRuleInput, type ProjectedPosition, planMinMax } from './min-max.js';
import type { ReplenishmentInput, SupplierCatalog, SupplierSource } from './replenishment.flow.js';

/** The replenishment run for a backordered sales order (one per order). */
export function backorderReplenishment(event: BackorderCreated): ReplenishmentInput {
  return {
    id: `backorder:${event.order}`,
    reason: { kind: 'backorder', ref: event.order },
    lines: event.lines.map((l) => ({ item: l.item, location: l.location, quantity: l.quantity })),
  };
}

/**
 * The min/max review for one period (`period` e.g. "2026-11-22T08"): undefined when nothing is
 * below its minimum. One run per period, so a review repeated within it orders nothing twice.
 */
export function minMaxReplenishment(
  period: string,
  rules: readonly MinMaxRuleInput[],
  positionOf: (item: string, location: string) => ProjectedPosition,
): ReplenishmentInput | undefined {
  const lines = planMinMax(rules, positionOf);
  if (lines.length === 0) return undefined;
  return { id: `min-max:${period}`, reason: { kind: 'min-max', ref: period }, lines };
}

/** A supplier catalog from configuration: per item (optionally per location). */
export class StaticSupplierCatalog implements SupplierCatalog {
  constructor(private readonly entries: ReadonlyArray<SupplierSource & { item: string; location?: string }>) {}

  async sourceOf(item: string, location: string): Promise<SupplierSource | undefined> {
    const hit =
      this.entries.find((e) => e.item === item && e.location === location) ??
      this.entries.find((e) => e.item === item && e.location === undefined);
    if (!hit) return undefined;
    return { supplier: hit.supplier, unitPrice: hit.unitPrice, ...(hit.currency ? { currency: hit.currency } : {}) };
  }
}
