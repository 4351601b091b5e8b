import type { EventLog } from '../../eventlog/index.js';
import type { Store } from '../../store/index.js';

/** Business counts since the hub started, read from the events the flows publish. */
export interface DemoCounts {
  ordersReceived: number;
  ordersBooked: number;
  ordersShipped: number;
  ordersInvoiced: number;
  ordersHeld: number;
  ordersBackordered: number;
  /** Procure-to-pay instances started, and those completed (bill posted or closed by an exception path). */
  purchaseOrders: number;
  purchaseOrdersCompleted: number;
  /** Return-to-credit instances started, and those completed. */
  returns: number;
  returnsCompleted: number;
}

/** One refresh of the summary. */
export interface DemoSnapshot {
  counts: DemoCounts;
  /** Open exceptions in the queue (all causes). */
  openExceptions: number;
  /** Events appended to the event log per second, over the last refresh. */
  eventsPerSecond: number;
  /** Storefront orders per second the traffic generator places. */
  orderRate: number;
  uptimeMs: number;
}

/** Which counter each event type moves (by the name between `crossdock.` and the version). */
const COUNTED: Record<string, keyof DemoCounts> = {
  'order.received': 'ordersReceived',
  'order.booked': 'ordersBooked',
  'order.shipped': 'ordersShipped',
  'order.invoiced': 'ordersInvoiced',
  'order.held': 'ordersHeld',
  'order.backordered': 'ordersBackordered',
};

/** Flows counted from the workflow engine's instances (they publish no milestone of their own for these). */
const PROCURE_TO_PAY = 'procure-to-pay';
const RETURN_TO_CREDIT = 'return-to-credit';

/** The counted event types, in full (`crossdock.order.received.v1`, …). */
export const COUNTED_TYPES: readonly string[] = Object.keys(COUNTED).map((name) => `crossdock.${name}.v1`);

function emptyCounts(): DemoCounts {
  return {
    ordersReceived: 0,
    ordersBooked: 0,
    ordersShipped: 0,
    ordersInvoiced: 0,
    ordersHeld: 0,
    ordersBackordered: 0,
    purchaseOrders: 0,
    purchaseOrdersCompleted: 0,
    returns: 0,
    returnsCompleted: 0,
  };
}

export interface DemoStatsOptions {
  eventlog: EventLog;
  /** Where the workflow instances are (purchase orders and returns are counted there). */
  store: Store;
  /** Topics whose events are counted (each gets the consumer group `demo-summary`). */
  topics: readonly string[];
  /** Open exceptions right now. */
  openExceptions?: () => Promise<number>;
  /** The traffic generator's current order rate. */
  orderRate?: () => number;
  now?: () => number;
}

/**
 * Counts the flows' milestones as they are published (a consumer group per topic starting at the
 * log's end, so a restarted demo counts from zero) and measures the event log's append rate.
 */
export class DemoStats {
  private readonly counts = emptyCounts();
  private readonly started: number;
  private readonly now: () => number;
  private lastTotal: number | undefined;
  private lastAt = 0;
  private rate = 0;

  constructor(private readonly options: DemoStatsOptions) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  /** Registers the counting consumers; call before the event log starts. */
  subscribe(): void {
    for (const topic of this.options.topics) {
      this.options.eventlog.subscribe({
        group: 'demo-summary',
        topic,
        types: COUNTED_TYPES,
        startAt: 'latest',
        handler: async (event) => this.count(event.type),
      });
    }
  }

  /** Moves the counter of one event type (exposed for tests). */
  count(type: string): void {
    const key = COUNTED[type.replace(/^crossdock\./, '').replace(/\.v\d+$/, '')];
    if (key) this.counts[key] += 1;
  }

  async snapshot(): Promise<DemoSnapshot> {
    const at = this.now();
    const stats = await this.options.eventlog.stats();
    const total = stats.topics.reduce((n, t) => n + Number(t.events), 0);
    if (this.lastTotal !== undefined && at > this.lastAt) this.rate = ((total - this.lastTotal) * 1000) / (at - this.lastAt);
    this.lastTotal = total;
    this.lastAt = at;
    const flows = await this.options.store.db
      .selectFrom('wf_instances')
      .select(['flow', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('flow', 'in', [PROCURE_TO_PAY, RETURN_TO_CREDIT])
      .where('created_at', '>=', this.started)
      .groupBy(['flow', 'status'])
      .execute();
    const count = (flow: string, status?: string) =>
      flows.filter((r) => r.flow === flow && (status === undefined || r.status === status)).reduce((n, r) => n + Number(r.n), 0);
    return {
      counts: {
        ...this.counts,
        purchaseOrders: count(PROCURE_TO_PAY),
        purchaseOrdersCompleted: count(PROCURE_TO_PAY, 'completed'),
        returns: count(RETURN_TO_CREDIT),
        returnsCompleted: count(RETURN_TO_CREDIT, 'completed'),
      },
      openExceptions: (await this.options.openExceptions?.()) ?? 0,
      eventsPerSecond: this.rate,
      orderRate: this.options.orderRate?.() ?? 0,
      uptimeMs: at - this.started,
    };
  }
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The summary as one plain line (logs, pipes, CI). */
export function summaryLine(s: DemoSnapshot): string {
  const c = s.counts;
  return (
    `demo ${clock(s.uptimeMs)} orders received ${c.ordersReceived} booked ${c.ordersBooked} shipped ${c.ordersShipped} ` +
    `invoiced ${c.ordersInvoiced} held ${c.ordersHeld} | POs ${c.purchaseOrders} completed ${c.purchaseOrdersCompleted} | ` +
    `returns ${c.returns} completed ${c.returnsCompleted} | exceptions ${s.openExceptions} | ` +
    `${s.eventsPerSecond.toFixed(1)} events/s`
  );
}

/** The summary as a small table for a terminal. */
export function summaryBlock(s: DemoSnapshot): string[] {
  const c = s.counts;
  const n = (v: number) => String(v).padStart(6);
  return [
    `crossdock demo  ${clock(s.uptimeMs)}   ${s.orderRate} orders/s placed   ${s.eventsPerSecond.toFixed(1).padStart(6)} events/s`,
    `  orders     received${n(c.ordersReceived)}  booked${n(c.ordersBooked)}  shipped${n(c.ordersShipped)}  invoiced${n(c.ordersInvoiced)}  held${n(c.ordersHeld)}  backordered${n(c.ordersBackordered)}`,
    `  purchasing POs${n(c.purchaseOrders)}  completed${n(c.purchaseOrdersCompleted)}`,
    `  returns    requested${n(c.returns)}  completed${n(c.returnsCompleted)}`,
    `  exceptions open${n(s.openExceptions)}`,
  ];
}

export interface SummaryPrinterOptions {
  stats: Pick<DemoStats, 'snapshot'>;
  out: NodeJS.WritableStream & { isTTY?: boolean };
  /** Redraw in place about once a second on a terminal; else print a plain line every `lineEveryMs`. */
  tty?: boolean;
  refreshMs?: number;
  lineEveryMs?: number;
}

/**
 * Prints the live summary: on a terminal the block is redrawn in place every `refreshMs` (1 s);
 * elsewhere one plain line every `lineEveryMs` (5 s), so logs stay readable. Returns a stop
 * function that prints a last line.
 */
export function startSummaryPrinter(options: SummaryPrinterOptions): () => Promise<void> {
  const tty = options.tty ?? options.out.isTTY === true;
  const every = tty ? (options.refreshMs ?? 1_000) : (options.lineEveryMs ?? 5_000);
  let drawn = 0;
  let busy = false;
  let stopped = false;
  const draw = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const snapshot = await options.stats.snapshot();
      if (stopped) return;
      if (tty) {
        const lines = summaryBlock(snapshot);
        // Move up over the last drawing and clear each line before writing it again.
        const up = drawn > 0 ? `\x1b[${drawn}A` : '';
        options.out.write(`${up}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
        drawn = lines.length;
      } else {
        options.out.write(`${summaryLine(snapshot)}\n`);
      }
    } catch {
      // The store is closing or busy: skip this refresh.
    } finally {
      busy = false;
    }
  };
  // A first figure soon after start, so a newcomer sees the demo is alive.
  const first = setTimeout(() => void draw(), Math.min(every, 2_000));
  const timer = setInterval(() => void draw(), every);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    if (stopped) return;
    stopped = true;
    // A last line, unless the store cannot answer within a second (shutdown must not wait on it).
    let giveUp: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      giveUp = setTimeout(() => resolve(undefined), 1_000);
    });
    try {
      const snapshot = await Promise.race([options.stats.snapshot(), late]);
      if (snapshot) options.out.write(`${summaryLine(snapshot)}\n`);
    } catch {
      // nothing to print once the store is closed
    } finally {
      clearTimeout(giveUp);
    }
  };
}
