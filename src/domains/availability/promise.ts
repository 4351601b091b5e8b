import { computeAtpRaw, utcToday } from './atp.js';
import { deliveryDate, shipDate, shipDateAfterArrival } from './calendar.js';
import type { EffectivePolicy, Policies } from './policy.js';
import type { PositionState } from './position.js';

export interface PromiseSource {
  location: string;
  qty: number;
  /** `stock`: on the shelf now; `in-transit`: due under `ref` within the policy's horizon. */
  from: 'stock' | 'in-transit';
  ref?: string;
  shipDate: string;
  deliveryDate: string;
}

export interface PromiseLine {
  item: string;
  qty: number;
  /** Units covered by `sources`; less than qty when the line is short. */
  promised: number;
  shortfall: number;
  shipDate: string | null;
  deliveryDate: string | null;
  sources: PromiseSource[];
}

export interface PromiseResult {
  channel: string;
  region: string;
  at: string;
  /** True when every line is fully covered. */
  complete: boolean;
  /** When the last covered unit ships and arrives (null when nothing is covered). */
  shipDate: string | null;
  deliveryDate: string | null;
  lines: PromiseLine[];
}

interface Tranche {
  location: string;
  rank: number;
  qty: number;
  from: 'stock' | 'in-transit';
  ref?: string;
  shipDate: string;
  deliveryDate: string;
}

/** Supply of one item across the channel's locations that can reach the region, soonest delivery first. */
function tranches(
  item: string,
  policies: Policies,
  policy: EffectivePolicy,
  region: string,
  at: number,
  position: (item: string, location: string) => PositionState | undefined,
): Tranche[] {
  const out: Tranche[] = [];
  const today = utcToday(at);
  policy.locations.forEach((location, rank) => {
    const days = policies.transitDays(location, region);
    const site = policies.location(location);
    if (days === undefined || site === undefined) return;
    const pos = position(item, location);
    let deficit = 0;
    const stock = computeAtpRaw(pos, { policies, policy, now: at, today, includeInTransit: false });
    if (stock > 0) {
      const ship = shipDate(at, site.timeZone, site.calendar);
      out.push({ location, rank, qty: stock, from: 'stock', shipDate: ship, deliveryDate: deliveryDate(ship, days) });
    } else {
      deficit = -stock;
    }
    const horizon = policy.inTransitHorizonDays;
    if (horizon === undefined || !pos) return;
    const due = pos.inTransit
      .filter((l) => l.eta !== null && l.eta <= at + horizon * 86_400_000)
      .sort((a, b) => (a.eta ?? 0) - (b.eta ?? 0));
    for (const lot of due) {
      // A deficit at the location (buffer, holds, over-allocation) is covered by the first goods to arrive.
      const usable = lot.quantity - Math.min(deficit, lot.quantity);
      deficit -= lot.quantity - usable;
      if (usable <= 0 || lot.eta === null) continue;
      const ship = shipDateAfterArrival(Math.max(lot.eta, at), site.timeZone, site.calendar);
      out.push({ location, rank, qty: usable, from: 'in-transit', ref: lot.ref, shipDate: ship, deliveryDate: deliveryDate(ship, days) });
    }
  });
  return out.sort((a, b) => (a.deliveryDate < b.deliveryDate ? -1 : a.deliveryDate > b.deliveryDate ? 1 : a.rank - b.rank));
}

/** Takes `qty` from the tranches in order; returns what it took and the latest delivery among them. */
function take(ts: readonly Tranche[], qty: number): { used: Array<{ t: Tranche; qty: number }>; got: number; last: string | null } {
  const used: Array<{ t: Tranche; qty: number }> = [];
  let got = 0;
  let last: string | null = null;
  for (const t of ts) {
    if (got >= qty) break;
    if (t.qty <= 0) continue;
    const n = Math.min(t.qty, qty - got);
    used.push({ t, qty: n });
    got += n;
    last = t.deliveryDate;
  }
  return { used, got, last };
}

/**
 * Earliest dates for an order: each line is served from one location when one can cover it, split
 * across locations only when the split arrives earlier; stock ships on the location's next ship day
 * (cut-off and holidays in its own time zone), in-transit goods the ship day after they arrive.
 */
export function computePromise(
  lines: ReadonlyArray<{ item: string; qty: number }>,
  region: string,
  at: number,
  policies: Policies,
  policy: EffectivePolicy,
  position: (item: string, location: string) => PositionState | undefined,
): PromiseResult {
  const supply = new Map<string, Tranche[]>();
  const result: PromiseLine[] = [];
  let ship: string | null = null;
  let delivery: string | null = null;
  let complete = true;
  for (const line of lines) {
    let ts = supply.get(line.item);
    if (!ts) {
      ts = tranches(line.item, policies, policy, region, at, position);
      supply.set(line.item, ts);
    }
    const split = take(ts, line.qty);
    const byLocation = new Map<string, Tranche[]>();
    for (const t of ts) byLocation.set(t.location, [...(byLocation.get(t.location) ?? []), t]);
    let single: ReturnType<typeof take> | undefined;
    for (const own of byLocation.values()) {
      const candidate = take(own, line.qty);
      if (candidate.got === line.qty && (single === undefined || (candidate.last ?? '') < (single.last ?? ''))) single = candidate;
    }
    // One shipment beats a split unless the split arrives sooner (greedy by date, it is never later).
    const best = single !== undefined && (split.got < line.qty || (single.last ?? '') <= (split.last ?? '')) ? single : split;
    for (const u of best.used) u.t.qty -= u.qty;
    const sources = best.used.map(({ t, qty }) => ({
      location: t.location,
      qty,
      from: t.from,
      ...(t.ref !== undefined ? { ref: t.ref } : {}),
      shipDate: t.shipDate,
      deliveryDate: t.deliveryDate,
    }));
    const lineShip = sources.reduce<string | null>((m, s) => (m === null || s.shipDate > m ? s.shipDate : m), null);
    const lineDelivery = sources.reduce<string | null>((m, s) => (m === null || s.deliveryDate > m ? s.deliveryDate : m), null);
    if (best.got < line.qty) complete = false;
    if (lineShip !== null && (ship === null || lineShip > ship)) ship = lineShip;
    if (lineDelivery !== null && (delivery === null || lineDelivery > delivery)) delivery = lineDelivery;
    result.push({
      item: line.item,
      qty: line.qty,
      promised: best.got,
      shortfall: line.qty - best.got,
      shipDate: lineShip,
      deliveryDate: lineDelivery,
      sources,
    });
  }
  return {
    channel: policy.channel,
    region,
    at: new Date(at).toISOString(),
    complete,
    shipDate: ship,
    deliveryDate: delivery,
    lines: result,
  };
}
