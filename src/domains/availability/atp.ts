import { addDays } from './calendar.js';
import type { EffectivePolicy, Policies } from './policy.js';
import { channelParty, customerParty, type PositionState } from './position.js';

/** One line of an explanation: a signed contribution to the figure, in order. */
export interface ExplainStep {
  step:
    | 'on hand'
    | 'allocated'
    | 'reserved'
    | 'quality hold'
    | 'excluded lots'
    | 'ring-fenced for others'
    | 'safety buffer'
    | 'in transit'
    | 'floor at zero';
  quantity: number;
  detail?: string;
}

export interface AtpContext {
  policies: Policies;
  policy: EffectivePolicy;
  now: number;
  /** Today's UTC date, for lot expiry. */
  today: string;
  /** `today` plus the policy's expiry window, when it has one (computed once per query). */
  expiryLimit?: string | undefined;
  /** Reservations never count goods not yet on the shelf; channel views may (policy `inTransit`). */
  includeInTransit: boolean;
}

const DAY_MS = 86_400_000;

/**
 * Available to promise at one position for one channel (and customer):
 * on hand − allocated − reserved − quality hold − expiring lots − others' ring-fences − safety buffer
 * (+ in transit due within the horizon), never below zero. When `explain` is given, each term is
 * appended to it. A negative bucket (a data error raised as an exception when it happened) counts as 0.
 */
export function computeAtp(pos: PositionState | undefined, ctx: AtpContext, explain?: ExplainStep[]): number {
  const value = computeAtpRaw(pos, ctx, explain);
  if (value < 0) {
    explain?.push({ step: 'floor at zero', quantity: -value });
    return 0;
  }
  return value;
}

/** The same sum without the floor: a negative figure is a deficit that later supply must cover first. */
export function computeAtpRaw(pos: PositionState | undefined, ctx: AtpContext, explain?: ExplainStep[]): number {
  if (pos === undefined) {
    explain?.push({ step: 'on hand', quantity: 0, detail: 'no stock recorded here' });
    return 0;
  }
  const { policies, policy } = ctx;
  let value = pos.onHand;
  explain?.push({ step: 'on hand', quantity: pos.onHand });
  const allocated = pos.allocated > 0 ? pos.allocated : 0;
  const reserved = pos.reserved > 0 ? pos.reserved : 0;
  const held = pos.held > 0 ? pos.held : 0;
  value -= allocated + reserved + held;
  if (explain) {
    explain.push({ step: 'allocated', quantity: neg(allocated) });
    explain.push({ step: 'reserved', quantity: neg(reserved) });
    explain.push({ step: 'quality hold', quantity: neg(held) });
  }

  const within = policy.excludeExpiringWithinDays;
  if (within !== undefined && (pos.lots.length > 0 || explain)) {
    const limit = ctx.expiryLimit ?? addDays(ctx.today, within);
    let excluded = 0;
    const lots: string[] = [];
    for (const lot of pos.lots) {
      if (lot.expiry !== null && lot.expiry <= limit && lot.quantity > 0) {
        excluded += lot.quantity;
        if (explain) lots.push(`${lot.lot} (${lot.quantity}, expires ${lot.expiry})`);
      }
    }
    value -= excluded;
    explain?.push({
      step: 'excluded lots',
      quantity: neg(excluded),
      detail: lots.length > 0 ? `expiring by ${limit}: ${lots.join(', ')}` : `none expiring by ${limit}`,
    });
  }

  const fences = policies.ringFences(pos.item, pos.location);
  for (const fence of fences) {
    const beneficiary = fence.channel !== undefined ? channelParty(fence.channel) : customerParty(fence.customer ?? '');
    if (policy.parties.includes(beneficiary)) continue;
    const used = pos.partyUse[beneficiary] ?? 0;
    const remaining = fence.quantity > used ? fence.quantity - used : 0;
    value -= remaining;
    explain?.push({
      step: 'ring-fenced for others',
      quantity: neg(remaining),
      detail: `${fence.quantity} kept for ${beneficiary}${used > 0 ? `, ${used} of them already taken` : ''}`,
    });
  }

  const buffer = policies.bufferFor(policy, pos.item, pos.location);
  if (buffer !== undefined) {
    const units = buffer.kind === 'absolute' ? buffer.units : pos.onHand > 0 ? Math.ceil((pos.onHand * buffer.percent) / 100) : 0;
    value -= units;
    explain?.push({
      step: 'safety buffer',
      quantity: neg(units),
      detail: buffer.kind === 'percent' ? `${buffer.percent}% of on hand` : undefined,
    });
  }

  const horizonDays = policy.inTransitHorizonDays;
  if (ctx.includeInTransit && horizonDays !== undefined && pos.inTransit.length > 0) {
    const horizonEnd = ctx.now + horizonDays * DAY_MS;
    for (const lot of pos.inTransit) {
      const counts = lot.eta !== null && lot.eta <= horizonEnd;
      if (counts) value += lot.quantity;
      explain?.push({
        step: 'in transit',
        quantity: counts ? lot.quantity : 0,
        detail:
          lot.eta === null
            ? `${lot.ref}: ${lot.quantity} with no ETA, not counted`
            : `${lot.ref}: ${lot.quantity} due ${new Date(lot.eta).toISOString()}${counts ? '' : `, after the ${horizonDays}-day horizon`}`,
      });
    }
  }

  return value;
}

/** A subtraction as a signed quantity, without JSON-invisible but test-visible -0. */
function neg(n: number): number {
  return n === 0 ? 0 : -n;
}

export function utcToday(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}
