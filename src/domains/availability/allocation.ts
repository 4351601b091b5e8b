import type { Tx } from '../../store/index.js';
import { computeAtp, utcToday } from './atp.js';
import { AvailabilityErrors } from './errors.js';
import { loadLots, loadPartyUse, type PartyScope, readPosition, readPositions, writeEntry } from './ledger.js';
import type { EffectivePolicy, Policies } from './policy.js';
import { emptyPosition, type PositionChange } from './position.js';

export interface ReserveLine {
  line: string;
  item: string;
  qty: number;
  /** Reserve at this location only; otherwise the channel's locations in preference order. */
  location?: string;
}

export interface ReserveRequest {
  order: string;
  lines: readonly ReserveLine[];
  channel: string;
  customer?: string;
  /** Reserve what there is and report the shortfall, instead of reserving nothing when a line is short. */
  partial?: boolean;
}

export interface LineReservation {
  line: string;
  item: string;
  requested: number;
  reserved: number;
  locations: Array<{ location: string; quantity: number; status: string }>;
  /** True when (order, line) was already reserved: nothing changed. */
  replayed: boolean;
}

export interface ReserveResult {
  order: string;
  lines: LineReservation[];
}

interface ReservationRow {
  line: string;
  location: string;
  item: string;
  quantity: number;
  status: string;
}

type Collect = (change: PositionChange) => void;

async function partyChange(tx: Tx, parties: PartyScope, item: string, location: string, collect: Collect): Promise<void> {
  const pos = await readPosition(tx, item, location, false);
  if (pos) collect({ ...pos, partyUse: await loadPartyUse(tx, item, location, parties(item, location)) });
}

/**
 * Reserves stock for order lines inside `tx`. Lines are taken in item order, and each item's
 * positions are locked before they are read (PostgreSQL `FOR UPDATE`; SQLite's `BEGIN IMMEDIATE`
 * holds the one writer lock), so two orders never get the same unit. ATP here is computed from the
 * locked rows — never from the read model — and ignores in-transit stock.
 */
export async function reserveInTx(
  tx: Tx,
  policies: Policies,
  policy: EffectivePolicy,
  request: ReserveRequest,
  now: number,
  collect: Collect,
): Promise<ReserveResult> {
  const results = new Map<string, LineReservation>();
  const today = utcToday(now);
  // Claim every line first, in line order: a concurrent request for the same (order, line) waits on
  // the claim's unique key until this transaction ends, then finds it taken.
  const fresh = new Set<string>();
  for (const line of [...request.lines].sort((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0))) {
    const claimed = await tx.run(
      'insert into av_reservation_lines (order_id, line, item, quantity, created_at) values (?, ?, ?, ?, ?) on conflict (order_id, line) do nothing',
      [request.order, line.line, line.item, line.qty, now],
    );
    if (claimed === 1) {
      fresh.add(line.line);
      continue;
    }
    const claim = (
      await tx.all<{ item: string; quantity: number }>('select item, quantity from av_reservation_lines where order_id = ? and line = ?', [
        request.order,
        line.line,
      ])
    )[0];
    if (claim && (claim.item !== line.item || Number(claim.quantity) !== line.qty)) {
      throw AvailabilityErrors.lineConflict(
        `order ${request.order} line ${line.line} was reserved for ${claim.quantity} ${claim.item}, not ${line.qty} ${line.item}`,
        { path: `lines.${request.lines.indexOf(line)}`, order: request.order, line: line.line },
      );
    }
    const existing = await tx.all<ReservationRow>(
      'select line, location, item, quantity, status from av_reservations where order_id = ? and line = ? order by location',
      [request.order, line.line],
    );
    results.set(line.line, {
      line: line.line,
      item: line.item,
      requested: line.qty,
      reserved: existing.filter((r) => r.status !== 'released').reduce((sum, r) => sum + Number(r.quantity), 0),
      locations: existing.map((r) => ({ location: r.location, quantity: Number(r.quantity), status: r.status })),
      replayed: true,
    });
  }
  // Then stock, item by item (a fixed lock order, so two orders never wait on each other in a cycle).
  const lines = request.lines
    .filter((l) => fresh.has(l.line))
    .sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : a.line < b.line ? -1 : 1));
  for (const line of lines) {
    const locations = line.location !== undefined ? [line.location] : policy.locations;
    const positions = await readPositions(tx, line.item, locations, true);
    const takes: Array<{ location: string; quantity: number }> = [];
    let remaining = line.qty;
    for (const location of locations) {
      if (remaining === 0) break;
      const stored = positions.get(location);
      if (!stored) continue;
      const state = {
        ...emptyPosition(line.item, location),
        ...stored,
        lots: policy.excludeExpiringWithinDays !== undefined ? await loadLots(tx, line.item, location) : [],
        partyUse: await loadPartyUse(tx, line.item, location, policies.fenceParties(line.item, location)),
      };
      const atp = computeAtp(state, { policies, policy, now, today, includeInTransit: false });
      const take = Math.min(atp, remaining);
      if (take > 0) {
        takes.push({ location, quantity: take });
        remaining -= take;
      }
    }
    if (remaining > 0 && !request.partial) {
      throw AvailabilityErrors.insufficient(
        `order ${request.order} line ${line.line}: ${line.qty - remaining} of ${line.qty} ${line.item} available`,
        {
          path: `lines.${request.lines.indexOf(line)}.qty`,
          item: line.item,
          requested: line.qty,
          available: line.qty - remaining,
        },
      );
    }
    for (const take of takes) {
      collect(
        await writeEntry(tx, {
          eventId: `reserve:${request.order}:${line.line}`,
          item: line.item,
          location: take.location,
          kind: 'reserve',
          dReserved: take.quantity,
          source: `crossdock/availability/${request.channel}`,
          reason: `order ${request.order} line ${line.line}`,
          correlationId: request.order,
          at: now,
        }),
      );
      await tx.run(
        `insert into av_reservations (order_id, line, location, item, quantity, status, channel, customer, created_at, updated_at)
         values (?, ?, ?, ?, ?, 'reserved', ?, ?, ?, ?)`,
        [request.order, line.line, take.location, line.item, take.quantity, request.channel, request.customer ?? null, now, now],
      );
      await partyChange(tx, policies.fenceParties, line.item, take.location, collect);
    }
    results.set(line.line, {
      line: line.line,
      item: line.item,
      requested: line.qty,
      reserved: line.qty - remaining,
      locations: takes.map((t) => ({ ...t, status: 'reserved' })),
      replayed: false,
    });
  }
  return { order: request.order, lines: request.lines.map((l) => results.get(l.line)).filter((l) => l !== undefined) };
}

export interface SettleResult {
  order: string;
  /** Reservation rows that changed state; 0 when the call was a repeat. */
  changed: number;
}

/**
 * Moves an order's reservation rows from one status to another and the units between buckets. Each
 * row is claimed with a conditional UPDATE (… WHERE status = <from>), so a repeated or concurrent
 * call moves each row once.
 */
async function settle(
  tx: Tx,
  parties: PartyScope,
  op: 'release' | 'commit',
  order: string,
  lines: readonly string[] | undefined,
  now: number,
  collect: Collect,
): Promise<SettleResult> {
  const from = op === 'commit' ? ['reserved'] : ['reserved', 'committed'];
  const lineFilter = lines && lines.length > 0 ? ` and line in (${lines.map(() => '?').join(', ')})` : '';
  const rows = await tx.all<ReservationRow>(
    `select line, location, item, quantity, status from av_reservations
     where order_id = ? and status in (${from.map(() => '?').join(', ')})${lineFilter} order by item, location, line`,
    [order, ...from, ...(lines ?? [])],
  );
  let changed = 0;
  for (const row of rows) {
    const next = op === 'commit' ? 'committed' : 'released';
    const claimed = await tx.run(
      'update av_reservations set status = ?, updated_at = ? where order_id = ? and line = ? and location = ? and status = ?',
      [next, now, order, row.line, row.location, row.status],
    );
    if (claimed === 0) continue;
    changed += 1;
    const qty = Number(row.quantity);
    const deltas =
      op === 'commit' ? { dReserved: -qty, dAllocated: qty } : row.status === 'committed' ? { dAllocated: -qty } : { dReserved: -qty };
    collect(
      await writeEntry(tx, {
        eventId: `${op}:${order}:${row.line}`,
        item: row.item,
        location: row.location,
        kind: op,
        ...deltas,
        source: 'crossdock/availability',
        reason: `order ${order} line ${row.line}`,
        correlationId: order,
        at: now,
      }),
    );
    await partyChange(tx, parties, row.item, row.location, collect);
  }
  return { order, changed };
}

export function releaseInTx(
  tx: Tx,
  parties: PartyScope,
  order: string,
  lines: readonly string[] | undefined,
  now: number,
  collect: Collect,
): Promise<SettleResult> {
  return settle(tx, parties, 'release', order, lines, now, collect);
}

export function commitInTx(
  tx: Tx,
  parties: PartyScope,
  order: string,
  lines: readonly string[] | undefined,
  now: number,
  collect: Collect,
): Promise<SettleResult> {
  return settle(tx, parties, 'commit', order, lines, now, collect);
}
