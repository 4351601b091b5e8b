import type { ExceptionQueue } from '../domains/exceptions/index.js';
import type { EventLog } from '../eventlog/index.js';
import type { Store } from '../store/index.js';

/** The dimensions the dashboard breaks figures down by. */
export const DIMENSIONS = ['partner', 'warehouse', 'channel', 'messageType'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** One line of a chart: a key (a partner, a message type…) and its count per bucket. */
export interface Series {
  key: string;
  total: number;
  buckets: number[];
}

/** A measure over time: totals per bucket and the same split by each dimension. */
export interface Breakdown {
  total: number;
  buckets: number[];
  by: Record<Dimension, Series[]>;
}

/** What the console's dashboard draws. Times are epoch ms; `bucketStarts[i]` labels `buckets[i]`. */
export interface Dashboard {
  from: number;
  to: number;
  bucketMs: number;
  bucketStarts: number[];
  /** Business events (milestones) recorded. */
  throughput: Breakdown;
  /** Events that went to the dead letters. */
  failures: Breakdown;
  /** failures / (throughput + failures) per bucket, 0 when nothing happened. */
  failureRate: { overall: number; buckets: number[] };
  slaBreaches: Breakdown;
  /** Now: events not yet read per consumer group, parked events and dead letters. */
  lag: {
    total: number;
    parked: number;
    deadLetters: number;
    /** The highest total lag sampled in each bucket (a sample a minute); null where none was taken. */
    buckets: Array<number | null>;
    groups: Array<{ group: string; topic: string; lag: number; parked: number; deadLetters: number }>;
  };
  exceptions: {
    open: number;
    overdue: number;
    byCategory: Array<{ key: string; open: number; overdue: number }>;
    byOwner: Array<{ key: string; open: number; overdue: number }>;
  };
}

interface Fact {
  at: number;
  partner: string | null;
  warehouse: string | null;
  channel: string | null;
  messageType: string | null;
}

const SERIES_LIMIT = 12;
const FACT_LIMIT = 200_000;

function breakdown(facts: readonly Fact[], from: number, bucketMs: number, n: number): Breakdown {
  const buckets = new Array<number>(n).fill(0);
  const by = Object.fromEntries(DIMENSIONS.map((d) => [d, new Map<string, number[]>()])) as Record<Dimension, Map<string, number[]>>;
  for (const f of facts) {
    const i = Math.floor((f.at - from) / bucketMs);
    if (i < 0 || i >= n) continue;
    buckets[i] = (buckets[i] ?? 0) + 1;
    for (const d of DIMENSIONS) {
      const key = f[d] ?? '(none)';
      const row = by[d].get(key) ?? new Array<number>(n).fill(0);
      row[i] = (row[i] ?? 0) + 1;
      by[d].set(key, row);
    }
  }
  const series = (m: Map<string, number[]>): Series[] =>
    [...m.entries()]
      .map(([key, b]) => ({ key, total: b.reduce((a, x) => a + x, 0), buckets: b }))
      .sort((a, b) => b.total - a.total || a.key.localeCompare(b.key))
      .slice(0, SERIES_LIMIT);
  return {
    total: buckets.reduce((a, x) => a + x, 0),
    buckets,
    by: { partner: series(by.partner), warehouse: series(by.warehouse), channel: series(by.channel), messageType: series(by.messageType) },
  };
}

/** Reads the dashboard's figures for a time range from the timeline store, SLA clocks, event log and exception queue. */
export async function readDashboard(
  deps: { store: Store; eventlog: EventLog; exceptions: ExceptionQueue },
  range: { from: number; to: number; bucketMs: number },
): Promise<Dashboard> {
  const { store, eventlog, exceptions } = deps;
  const { from, to, bucketMs } = range;
  const n = Math.max(1, Math.ceil((to - from) / bucketMs));
  const bucketStarts = Array.from({ length: n }, (_, i) => from + i * bucketMs);

  const milestones = await store.db
    .selectFrom('obs_milestones')
    .select(['at', 'partner', 'warehouse', 'channel', 'event_type'])
    .where('at', '>=', from)
    .where('at', '<', to)
    .limit(FACT_LIMIT)
    .execute();
  const throughput = breakdown(
    milestones.map((m) => ({
      at: Number(m.at),
      partner: m.partner,
      warehouse: m.warehouse,
      channel: m.channel,
      messageType: m.event_type,
    })),
    from,
    bucketMs,
    n,
  );

  const dead = await eventlog.listDeadLetters({ includeRedriven: true, limit: 10_000 });
  const failures = breakdown(
    dead.map((d) => ({ at: d.deadAt, partner: null, warehouse: null, channel: null, messageType: d.type })),
    from,
    bucketMs,
    n,
  );

  const breaches = await store.db
    .selectFrom('obs_sla_clocks')
    .select(['breached_at', 'partner', 'warehouse', 'channel', 'kind', 'to_milestone'])
    .where('breached_at', '>=', from)
    .where('breached_at', '<', to)
    .limit(FACT_LIMIT)
    .execute();
  const slaBreaches = breakdown(
    breaches.map((b) => ({
      at: Number(b.breached_at),
      partner: b.partner,
      warehouse: b.warehouse,
      channel: b.channel,
      messageType: `${b.kind}.${b.to_milestone}`,
    })),
    from,
    bucketMs,
    n,
  );

  const rate = (f: number, t: number) => (f + t === 0 ? 0 : f / (f + t));
  const stats = await eventlog.stats();
  const samples = await store.db.selectFrom('obs_lag_samples').select(['at', 'lag']).where('at', '>=', from).where('at', '<', to).execute();
  const lagBuckets = new Array<number | null>(n).fill(null);
  for (const s of samples) {
    const i = Math.floor((Number(s.at) - from) / bucketMs);
    if (i >= 0 && i < n) lagBuckets[i] = Math.max(lagBuckets[i] ?? 0, Number(s.lag));
  }
  const groups = stats.groups.map((g) => ({ group: g.group, topic: g.topic, lag: g.lag, parked: g.parked, deadLetters: g.deadLetters }));
  const byCategory = await exceptions.openCountsBy('category');
  return {
    from,
    to,
    bucketMs,
    bucketStarts,
    throughput,
    failures,
    failureRate: {
      overall: rate(failures.total, throughput.total),
      buckets: bucketStarts.map((_, i) => rate(failures.buckets[i] ?? 0, throughput.buckets[i] ?? 0)),
    },
    slaBreaches,
    lag: {
      total: groups.reduce((a, g) => a + g.lag, 0),
      parked: groups.reduce((a, g) => a + g.parked, 0),
      deadLetters: groups.reduce((a, g) => a + g.deadLetters, 0),
      buckets: lagBuckets,
      groups,
    },
    exceptions: {
      open: byCategory.reduce((a, c) => a + c.open, 0),
      overdue: byCategory.reduce((a, c) => a + c.overdue, 0),
      byCategory,
      byOwner: await exceptions.openCountsBy('owner'),
    },
  };
}

/** Records one lag sample for the current minute (the first sample of a minute wins). */
export async function sampleLag(store: Store, eventlog: EventLog, now: number): Promise<void> {
  const stats = await eventlog.stats();
  const at = Math.floor(now / 60_000) * 60_000;
  await store.db
    .insertInto('obs_lag_samples')
    .values({
      at,
      lag: stats.groups.reduce((a, g) => a + g.lag, 0),
      parked: stats.groups.reduce((a, g) => a + g.parked, 0),
      dead_letters: stats.groups.reduce((a, g) => a + g.deadLetters, 0),
    })
    .onConflict((oc) => oc.column('at').doNothing())
    .execute();
}
