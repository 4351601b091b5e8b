import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { EventLog } from '../eventlog/index.js';
import type { StoreStats } from '../store/index.js';

/**
 * Prometheus metrics of one hub process, served at /metrics. Event-log figures are read from the
 * log when scraped, so they are exact at scrape time and cost nothing between scrapes.
 */
export interface HubMetrics {
  readonly registry: Registry;
  contentType: string;
  render(): Promise<string>;
}

export function createMetrics(options: { eventlog: EventLog; store?: { stats(): StoreStats }; prefix?: string }): HubMetrics {
  const registry = new Registry();
  const prefix = options.prefix ?? 'crossdock_';
  collectDefaultMetrics({ register: registry, prefix });

  const topicEvents = new Gauge({
    name: `${prefix}eventlog_topic_events`,
    help: 'Events stored in a topic (its depth).',
    labelNames: ['topic'],
    registers: [registry],
  });
  const lag = new Gauge({
    name: `${prefix}eventlog_consumer_lag`,
    help: 'Events published to a topic and not yet read by a consumer group.',
    labelNames: ['group', 'topic'],
    registers: [registry],
  });
  const parked = new Gauge({
    name: `${prefix}eventlog_parked_events`,
    help: 'Events waiting on a failing key (retrying, or queued behind a retrying event).',
    labelNames: ['group', 'topic'],
    registers: [registry],
  });
  const dead = new Gauge({
    name: `${prefix}eventlog_dead_letters`,
    help: 'Dead letters not yet re-driven.',
    labelNames: ['group', 'topic'],
    registers: [registry],
  });

  const transactions = new Counter({
    name: `${prefix}store_transactions_total`,
    help: 'Store transactions committed by this process.',
    registers: [registry],
  });
  const commits = new Counter({
    name: `${prefix}store_commits_total`,
    help: 'COMMITs made by this process (on SQLite a group of queued transactions shares one; see ADR 8).',
    registers: [registry],
  });
  let counted: StoreStats = { transactions: 0, commits: 0 };

  return {
    registry,
    contentType: registry.contentType,
    async render() {
      if (options.store) {
        const now = options.store.stats();
        transactions.inc(now.transactions - counted.transactions);
        commits.inc(now.commits - counted.commits);
        counted = now;
      }
      const stats = await options.eventlog.stats();
      topicEvents.reset();
      lag.reset();
      parked.reset();
      dead.reset();
      for (const t of stats.topics) topicEvents.set({ topic: t.name }, t.events);
      for (const g of stats.groups) {
        lag.set({ group: g.group, topic: g.topic }, g.lag);
        parked.set({ group: g.group, topic: g.topic }, g.parked);
        dead.set({ group: g.group, topic: g.topic }, g.deadLetters);
      }
      return registry.metrics();
    },
  };
}
