import type { RestOrder } from '../shopify/index.js';
import type { WmsOrder } from '../wms/index.js';
import { DEMO_BUYERS, DEMO_WAREHOUSE, type DemoItem } from './catalog.js';
import type { DemoNetwork } from './network.js';
import { between, pick, seededRandom } from './random.js';

/** A shipped storefront order the generator may return. */
export interface ShippedOrder {
  /** Shopify's order id (a decimal string). */
  readonly shopifyOrderId: string;
  /** The warehouse's order reference (crossdock's order id). */
  readonly reference: string;
  readonly lines: ReadonlyArray<{ sku: string; quantity: number }>;
}

export interface TrafficOptions {
  /** Storefront orders per second (0 pauses ordering); 1 by default. */
  ordersPerSecond?: number;
  /** How long a warehouse order stays in each stage (released, picked, packed) before it moves on. */
  stageMs?: number;
  /** Share of orders placed at a price the ERP does not have (each opens a price-mismatch exception). */
  priceMismatchRate?: number;
  /** Share of warehouse orders that hit a damaged-stock exception instead of shipping. */
  warehouseExceptionRate?: number;
  /**
   * Counts stock into the warehouse when an item's available quantity falls under `below`, up to
   * its start stock; `false` leaves replenishment to purchase orders (procure-to-pay).
   */
  restock?: { below: number } | false;
  /** The warehouse receives an expected ASN this long after it appears. */
  receiveAfterMs?: number;
  /** Returns: share of shipped orders the customer sends back, and how a return is requested. */
  returns?: { rate: number; request(order: ShippedOrder): Promise<void> | void };
  /** Seed of the order generator; the same seed gives the same orders. */
  seed?: number;
  /** Tick period; 250 ms by default. */
  tickMs?: number;
  /** Reports a failure of one action (the generator keeps going). */
  onError?: (err: unknown) => void;
}

/** What the generator has done since it started. */
export interface TrafficCounts {
  ordersPlaced: number;
  priceMismatches: number;
  picked: number;
  packed: number;
  shipped: number;
  warehouseExceptions: number;
  restocks: number;
  asnsReceived: number;
  returnsRequested: number;
  /** Purchase orders the supplier acknowledged, shipped (ASN sent) and invoiced. */
  poAcknowledged: number;
  poShipped: number;
  poInvoiced: number;
}

const NEXT_STAGE: Partial<Record<WmsOrder['status'], 'picked' | 'packed' | 'shipped'>> = {
  released: 'picked',
  picked: 'packed',
  packed: 'shipped',
};

/**
 * The demo's traffic: places orders in the Shopify simulator (they reach the hub as signed
 * webhooks, the real path), works the warehouse (pick, pack, ship; the odd damaged-stock
 * exception), receives expected ASNs, keeps stock counted in, and returns some shipped orders.
 */
export class TrafficGenerator {
  readonly counts: TrafficCounts = {
    ordersPlaced: 0,
    priceMismatches: 0,
    picked: 0,
    packed: 0,
    shipped: 0,
    warehouseExceptions: 0,
    restocks: 0,
    asnsReceived: 0,
    returnsRequested: 0,
    poAcknowledged: 0,
    poShipped: 0,
    poInvoiced: 0,
  };
  private readonly random: () => number;
  private readonly stageMs: number;
  private readonly tickMs: number;
  private ordersPerSecond: number;
  private timer: NodeJS.Timeout | undefined;
  private due = 0;
  private lastTick = 0;
  private readonly stageSince = new Map<string, number>();
  private readonly settled = new Set<string>();
  private readonly returned = new Set<string>();

  constructor(
    private readonly network: DemoNetwork,
    private readonly options: TrafficOptions = {},
  ) {
    this.random = seededRandom(options.seed ?? 20_261_122);
    this.stageMs = options.stageMs ?? 1_000;
    this.tickMs = options.tickMs ?? 250;
    this.ordersPerSecond = options.ordersPerSecond ?? 1;
  }

  /** Orders per second now being placed. */
  get rate(): number {
    return this.ordersPerSecond;
  }

  /** Changes the order rate (0 pauses ordering; the warehouse keeps working). */
  setRate(ordersPerSecond: number): void {
    if (!Number.isFinite(ordersPerSecond) || ordersPerSecond < 0) throw new RangeError('ordersPerSecond must be 0 or more');
    this.ordersPerSecond = ordersPerSecond;
  }

  /** Counts the start stock into the warehouse (one adjustment per item) and starts ticking. */
  start(): void {
    if (this.timer) return;
    for (const item of this.network.items) this.countIn(item, item.startStock, 'found');
    this.lastTick = Date.now();
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One step of the world; public so tests can drive it without timers. */
  tick(now = Date.now()): void {
    const elapsed = Math.max(0, now - this.lastTick);
    this.lastTick = now;
    this.due = Math.min(this.due + (this.ordersPerSecond * elapsed) / 1000, 50);
    while (this.due >= 1) {
      this.due -= 1;
      this.guard(() => this.placeOrder());
    }
    this.guard(() => this.workWarehouse(now));
    this.guard(() => this.receiveAsns(now));
    this.guard(() => this.workSupplier(now));
    const restock = this.options.restock;
    if (restock !== false) this.guard(() => this.restock(restock?.below ?? 40));
  }

  private guard(action: () => void): void {
    try {
      action();
    } catch (err) {
      this.options.onError?.(err);
    }
  }

  /** Places one storefront order of 1–3 lines; a few carry a price the ERP does not have. */
  placeOrder(): RestOrder {
    const buyer = pick(this.random, DEMO_BUYERS);
    const chosen = new Map<string, DemoItem>();
    const lineCount = between(this.random, 1, 3);
    while (chosen.size < lineCount) {
      const item = pick(this.random, this.network.items);
      chosen.set(item.sku, item);
    }
    const mismatch = this.random() < (this.options.priceMismatchRate ?? 0.03);
    const lines = [...chosen.values()].map((item, i) => ({
      sku: item.sku,
      title: item.title,
      quantity: between(this.random, 1, 4),
      // A stale storefront price: 10% under the ERP's, on the first line.
      price: mismatch && i === 0 ? (Number(item.price) * 0.9).toFixed(2) : item.price,
    }));
    const address = {
      name: `${buyer.firstName} ${buyer.lastName}`,
      first_name: buyer.firstName,
      last_name: buyer.lastName,
      address1: buyer.address1,
      city: buyer.city,
      province_code: buyer.province,
      zip: buyer.zip,
      country_code: 'US',
    };
    const order = this.network.shopify.createOrder({
      email: buyer.email,
      currency: 'USD',
      financial_status: 'paid',
      line_items: lines,
      shipping_address: address,
      billing_address: address,
      customer: { email: buyer.email, first_name: buyer.firstName, last_name: buyer.lastName },
    });
    this.counts.ordersPlaced += 1;
    if (mismatch) this.counts.priceMismatches += 1;
    return order;
  }

  /** Moves each warehouse order one stage once it has spent `stageMs` in its current one. */
  private workWarehouse(now: number): void {
    const wms = this.network.wms;
    for (const order of wms.state.activeOrders()) {
      if (order.status === 'exception') {
        this.settle(order);
        continue;
      }
      const since = this.stageSince.get(`${order.id}:${order.status}`);
      if (since === undefined) {
        this.stageSince.set(`${order.id}:${order.status}`, now);
        continue;
      }
      if (now - since < this.stageMs) continue;
      this.stageSince.delete(`${order.id}:${order.status}`);
      const next = NEXT_STAGE[order.status];
      if (!next) continue;
      const line = order.lines[0];
      if (next === 'picked' && line && this.random() < (this.options.warehouseExceptionRate ?? 0.02)) {
        wms.advance(order.id, { exception: { code: 'damaged', sku: line.sku, quantity: line.quantity, note: 'pallet damaged at pick' } });
        this.counts.warehouseExceptions += 1;
        continue;
      }
      wms.advance(order.id, { to: next });
      if (next === 'picked') this.counts.picked += 1;
      else if (next === 'packed') this.counts.packed += 1;
      else {
        this.counts.shipped += 1;
        this.maybeReturn(order);
      }
    }
  }

  private settle(order: WmsOrder): void {
    if (this.settled.has(order.id)) return;
    this.settled.add(order.id);
    for (const key of [...this.stageSince.keys()]) if (key.startsWith(`${order.id}:`)) this.stageSince.delete(key);
  }

  private maybeReturn(order: WmsOrder): void {
    const returns = this.options.returns;
    if (!returns || this.returned.has(order.id) || this.random() >= returns.rate) return;
    const shopifyOrderId = this.shopifyIdOf(order.reference);
    if (shopifyOrderId === undefined) return;
    this.returned.add(order.id);
    const lines = order.lines.filter((l) => l.shipped_quantity > 0).map((l) => ({ sku: l.sku, quantity: l.shipped_quantity }));
    if (lines.length === 0) return;
    this.counts.returnsRequested += 1;
    void Promise.resolve()
      .then(() => returns.request({ shopifyOrderId, reference: order.reference, lines }))
      .catch((err: unknown) => this.options.onError?.(err));
  }

  /** The Shopify order behind a warehouse reference (crossdock ids of Shopify orders end in the Shopify id). */
  private shopifyIdOf(reference: string): string | undefined {
    const id = /(\d+)$/.exec(reference)?.[1];
    return id !== undefined && this.network.shopify.state.orders.has(Number(id)) ? id : undefined;
  }

  /**
   * The supplier acknowledges each purchase order, ships it (sending its ASN) a stage later, and
   * invoices once the warehouse has received the goods, so the three-way match sees all three.
   */
  private workSupplier(now: number): void {
    const supplier = this.network.supplier;
    for (const po of supplier.state.orders.values()) {
      if (po.status !== 'received' && po.status !== 'acknowledged' && po.status !== 'shipped') continue;
      const key = `po:${po.poNumber}:${po.status}`;
      const since = this.stageSince.get(key);
      if (since === undefined) {
        this.stageSince.set(key, now);
        continue;
      }
      if (now - since < this.stageMs) continue;
      if (po.status === 'received') {
        supplier.acknowledge(po.poNumber);
        this.counts.poAcknowledged += 1;
      } else if (po.status === 'acknowledged') {
        supplier.ship(po.poNumber);
        this.counts.poShipped += 1;
      } else {
        const receivedAtWarehouse = [...this.network.wms.state.asns.values()].some(
          (a) => a.reference === po.poNumber && a.status === 'received',
        );
        if (!receivedAtWarehouse) continue;
        supplier.invoice(po.poNumber);
        this.counts.poInvoiced += 1;
      }
      this.stageSince.delete(key);
    }
  }

  /** The warehouse receives ASNs (from suppliers) a little after they are announced. */
  private receiveAsns(now: number): void {
    const after = this.options.receiveAfterMs ?? 3_000;
    for (const asn of this.network.wms.state.asns.values()) {
      if (asn.status !== 'expected' || now - Date.parse(asn.created_at) < after) continue;
      this.network.wms.receive(asn.id);
      this.counts.asnsReceived += 1;
    }
  }

  private restock(below: number): void {
    for (const item of this.network.items) {
      const record = this.network.wms.state.inventoryList({ sku: item.sku, location: DEMO_WAREHOUSE })[0];
      const available = record ? record.on_hand - record.allocated : 0;
      if (available >= below) continue;
      this.countIn(item, Math.max(1, item.startStock - available), 'found');
      this.counts.restocks += 1;
    }
  }

  private countIn(item: DemoItem, quantity: number, reason: 'found' | 'received'): void {
    this.network.wms.state.adjust({ sku: item.sku, location: DEMO_WAREHOUSE, quantity, reason_code: reason, note: 'demo stock count' });
  }
}
