import { z } from 'zod';
import { money } from '../procure-to-pay/index.js';

const { add, cmp, dec, format, sub } = money;

const Decimal = z.string().regex(/^\d+(\.\d+)?$/, 'expected a non-negative decimal string');

/** A min/max rule for one item at one location: below `min` (projected), order up to `max`. */
export const MinMaxRule = z.strictObject({
  item: z.string().min(1),
  location: z.string().min(1),
  min: Decimal,
  max: Decimal,
  /** Order in multiples of this (a case pack); 1 by default. */
  multiple: Decimal.default('1'),
});
export type MinMaxRule = z.infer<typeof MinMaxRule>;
export type MinMaxRuleInput = z.input<typeof MinMaxRule>;

/** What is there and coming for one item at one location, as decimal strings. */
export interface ProjectedPosition {
  onHand: string;
  /** Allocated or reserved to orders. */
  committed: string;
  /** In transit under ASNs. */
  inTransit: string;
  /** On open purchase orders not shipped yet. */
  onOrder: string;
}

export interface ReplenishmentLine {
  item: string;
  location: string;
  quantity: string;
}

/** Projected = on hand - committed + in transit + on order. */
export function projected(p: ProjectedPosition): string {
  return trim(format(add(add(sub(dec(p.onHand), dec(p.committed)), dec(p.inTransit)), dec(p.onOrder)), 4));
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/**
 * The lines to buy: for each rule whose projected position is below `min`, the quantity that
 * brings it up to `max`, rounded up to the rule's multiple. Exact decimal arithmetic.
 */
export function planMinMax(
  rules: readonly MinMaxRuleInput[],
  positionOf: (item: string, location: string) => ProjectedPosition,
): ReplenishmentLine[] {
  const out: ReplenishmentLine[] = [];
  for (const input of rules) {
    const rule = MinMaxRule.parse(input);
    const position = positionOf(rule.item, rule.location);
    const have = dec(projected(position));
    if (cmp(have, dec(rule.min)) >= 0) continue;
    const need = sub(dec(rule.max), have);
    out.push({ item: rule.item, location: rule.location, quantity: roundUpTo(trim(format(need, 4)), rule.multiple) });
  }
  return out;
}

/** The smallest multiple of `multiple` that is at least `quantity`. */
export function roundUpTo(quantity: string, multiple: string): string {
  const q = dec(quantity);
  const m = dec(multiple);
  if (m.units === 0n) return quantity;
  const scale = Math.max(q.scale, m.scale);
  const qu = q.units * 10n ** BigInt(scale - q.scale);
  const mu = m.units * 10n ** BigInt(scale - m.scale);
  const packs = (qu + mu - 1n) / mu;
  return trim(format({ units: packs * mu, scale }, scale));
}
