import type { Store, Tx } from '../../store/index.js';
import { addPartyUse, type PartyScope } from './ledger.js';
import { emptyPosition, type PositionChange, type PositionState } from './position.js';

export type ChangeListener = (items: ReadonlySet<string>) => void;

/**
 * Positions in memory, for reads. It is fed the committed state of each changed position (after
 * commit, never before) and keeps whichever copy has the higher version, so late or repeated
 * deliveries do no harm. It is never the source of truth for allocation.
 */
export class ReadModel {
  private readonly byItem = new Map<string, Map<string, PositionState>>();
  private readonly listeners = new Set<ChangeListener>();

  /** `parties`: whose use of a position to keep (ring-fence beneficiaries), as the writes do. */
  constructor(private readonly parties: PartyScope) {}

  position(item: string, location: string): PositionState | undefined {
    return this.byItem.get(item)?.get(location);
  }

  /** The item's positions by location (the hot read takes them once per item, not once per location). */
  positionsOf(item: string): ReadonlyMap<string, PositionState> | undefined {
    return this.byItem.get(item);
  }

  hasItem(item: string): boolean {
    return this.byItem.has(item);
  }

  items(): string[] {
    return [...this.byItem.keys()];
  }

  get size(): number {
    return this.byItem.size;
  }

  apply(changes: readonly PositionChange[]): void {
    if (changes.length === 0) return;
    const touched = new Set<string>();
    for (const change of changes) {
      if (this.merge(change)) touched.add(change.item);
    }
    if (touched.size === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(touched);
      } catch {
        // A listener (the publisher) must not break the read path.
      }
    }
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private merge(change: PositionChange): boolean {
    let locations = this.byItem.get(change.item);
    if (!locations) {
      locations = new Map();
      this.byItem.set(change.item, locations);
    }
    let pos = locations.get(change.location);
    if (!pos) {
      pos = emptyPosition(change.item, change.location);
      locations.set(change.location, pos);
    }
    if (change.version < pos.version) return false;
    pos.onHand = change.onHand;
    pos.allocated = change.allocated;
    pos.reserved = change.reserved;
    pos.held = change.held;
    pos.version = change.version;
    if (change.inTransit) pos.inTransit = change.inTransit;
    if (change.lots) pos.lots = change.lots;
    if (change.partyUse) pos.partyUse = change.partyUse;
    return true;
  }

  /** Loads every position from the store (at start, or to catch up with other processes' writes). */
  async rebuild(store: Store): Promise<void> {
    const loaded = await store.transaction(async (tx) => {
      const positions = await tx.all<PositionRow>(`select ${COLUMNS} from av_positions`, []);
      return { positions, ...(await details(tx, undefined)) };
    });
    this.apply(assemble(loaded, this.parties));
  }

  /**
   * Applies the positions other processes changed since `since` (epoch ms of their writes) and
   * returns the newest write time seen. Cluster mode polls this: each process's memory follows the
   * shared store, and versions make a late or repeated copy harmless.
   */
  async catchUp(store: Store, since: number): Promise<number> {
    const loaded = await store.transaction(async (tx) => {
      const changed = await tx.all<PositionRow & { updated_at: number | string }>(
        `select ${COLUMNS}, updated_at from av_positions where updated_at >= ?`,
        [since],
      );
      const newer = changed.filter((p) => Number(p.version) > (this.position(p.item, p.location)?.version ?? 0));
      const items = [...new Set(newer.map((p) => p.item))];
      const newest = changed.reduce((m, p) => Math.max(m, Number(p.updated_at)), since);
      return { positions: newer, ...(items.length > 0 ? await details(tx, items) : { transit: [], lots: [], use: [] }), newest };
    });
    this.apply(assemble(loaded, this.parties));
    return loaded.newest;
  }
}

interface PositionRow {
  item: string;
  location: string;
  on_hand: number;
  allocated: number;
  reserved: number;
  held: number;
  version: number;
}

interface Loaded {
  positions: PositionRow[];
  transit: Array<{ item: string; location: string; ref: string; quantity: number; eta: number | null }>;
  lots: Array<{ item: string; location: string; lot: string; expiry: string | null; quantity: number }>;
  use: Array<{ item: string; location: string; channel: string; customer: string | null; total: number | string }>;
}

const COLUMNS = 'item, location, on_hand, allocated, reserved, held, version';

/** In-transit, lot and reservation detail of every position, or of the given items only. */
async function details(tx: Tx, items: readonly string[] | undefined): Promise<Omit<Loaded, 'positions'>> {
  const out: Omit<Loaded, 'positions'> = { transit: [], lots: [], use: [] };
  const chunks: Array<readonly string[] | undefined> = [];
  if (items === undefined) chunks.push(undefined);
  else for (let i = 0; i < items.length; i += 500) chunks.push(items.slice(i, i + 500));
  for (const chunk of chunks) {
    const filter = chunk === undefined ? '' : `item in (${chunk.map(() => '?').join(', ')})`;
    const params = chunk ?? [];
    out.transit.push(
      ...(await tx.all<Loaded['transit'][number]>(
        `select item, location, ref, quantity, eta from av_in_transit${filter ? ` where ${filter}` : ''} order by ref`,
        params,
      )),
    );
    out.lots.push(
      ...(await tx.all<Loaded['lots'][number]>(
        `select item, location, lot, expiry, quantity from av_lots${filter ? ` where ${filter}` : ''} order by lot`,
        params,
      )),
    );
    out.use.push(
      ...(await tx.all<Loaded['use'][number]>(
        `select item, location, channel, customer, sum(quantity) as total from av_reservations
         where status in ('reserved', 'committed')${filter ? ` and ${filter}` : ''} group by item, location, channel, customer`,
        params,
      )),
    );
  }
  return out;
}

function assemble(loaded: Loaded, parties: PartyScope): PositionState[] {
  const states = new Map<string, PositionState>();
  for (const p of loaded.positions) {
    states.set(`${p.item}\u0000${p.location}`, {
      ...emptyPosition(p.item, p.location),
      onHand: Number(p.on_hand),
      allocated: Number(p.allocated),
      reserved: Number(p.reserved),
      held: Number(p.held),
      version: Number(p.version),
    });
  }
  for (const t of loaded.transit) {
    states
      .get(`${t.item}\u0000${t.location}`)
      ?.inTransit.push({ ref: t.ref, quantity: Number(t.quantity), eta: t.eta === null ? null : Number(t.eta) });
  }
  for (const l of loaded.lots) {
    states.get(`${l.item}\u0000${l.location}`)?.lots.push({ lot: l.lot, expiry: l.expiry, quantity: Number(l.quantity) });
  }
  for (const u of loaded.use) {
    const s = states.get(`${u.item}\u0000${u.location}`);
    if (!s) continue;
    addPartyUse(s.partyUse, parties(u.item, u.location), u.channel, u.customer, Number(u.total));
  }
  return [...states.values()];
}
