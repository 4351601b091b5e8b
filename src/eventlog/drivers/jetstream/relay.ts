import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { backoffMs, type Clock, errorMessage, type Logger, sleep } from '../../../kernel/index.js';
import type { Store } from '../../../store/index.js';
import type { NatsNames } from './names.js';
import type { JetStreamSettings } from './settings.js';

interface OutboxRow {
  seq: number;
  partition: number;
  id: string;
  key: string;
  correlationid: string;
  created_at: number;
  envelope: string;
}

/** Seams for the crash tests: a hook that throws acts as a process dying at that point. */
export interface RelayHooks {
  /** After JetStream acknowledged the batch, before the outbox rows are deleted. */
  afterPubAck?(ids: readonly string[]): Promise<void> | void;
}

export interface RelayDeps {
  store: Store;
  js: JetStreamClient;
  names: NatsNames;
  logger: Logger;
  clock: Clock;
  settings: JetStreamSettings;
  /** Creates the topic's stream if missing (cached by the caller). */
  ensureStream(topic: string): Promise<void>;
  hooks?: RelayHooks;
}

const SQL = {
  // Finds the partitions with waiting rows and takes each one's transaction-scoped advisory lock
  // that no other relay holds. Two-key (int4, int4) advisory locks live apart from the one-key
  // (bigint) locks of leader election.
  lockPartitions:
    'SELECT "partition", pg_try_advisory_xact_lock(hashtext(?), "partition") AS ok FROM (SELECT DISTINCT "partition" FROM el_outbox WHERE topic = ?) p',
  topics: 'SELECT DISTINCT topic FROM el_outbox',
} as const;

/**
 * One round at a time; a round asked for while one runs follows it (the running one may have missed
 * rows committed meanwhile), and further asks share that follower.
 */
class SerialRounds {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly round: () => Promise<void>) {}

  request(): Promise<void> {
    if (this.queued) return this.queued;
    const running = this.running;
    if (!running) return this.launch();
    const queued = running
      .catch(() => {})
      .then(() => {
        this.queued = undefined;
        return this.launch();
      });
    this.queued = queued;
    return queued;
  }

  async settled(): Promise<void> {
    await Promise.allSettled([this.running, this.queued]);
  }

  private launch(): Promise<void> {
    const run: Promise<void> = this.round().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }
}

/**
 * Moves committed outbox rows into JetStream, in outbox order per partition.
 *
 * Every process relays (no leader): a partition's rows are taken under a transaction-scoped advisory
 * lock on (topic, partition), so at most one relay publishes a partition at a time (per-key order),
 * different partitions go out in parallel from different processes, and a crashed relay's lock
 * vanishes with its transaction. Each message carries `Nats-Msg-Id` = event id and the rows are
 * deleted only after the PubAcks, in the same transaction that records the stream sequences: a crash
 * in between re-sends the rows, which JetStream drops as duplicates within `duplicateWindowMs`
 * (answering with the first copy's sequence); beyond it the consumers' inbox drops them.
 */
export class Relay {
  private readonly rounds = new Map<string, SerialRounds>();
  private readonly kicked = new Set<string>();
  private kickScheduled = false;
  private loop: Promise<void> | undefined;
  private abort: AbortController | undefined;

  constructor(private readonly deps: RelayDeps) {}

  /** Starts the poll for rows left by other processes (idempotent). */
  start(): void {
    if (this.loop) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.poll(abort.signal);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = undefined;
    await Promise.all([...this.rounds.values()].map((r) => r.settled()));
  }

  /** Relays soon (after a commit that wrote outbox rows); failures are left to the poll. */
  kick(topic: string): void {
    this.kicked.add(topic);
    if (this.kickScheduled) return;
    this.kickScheduled = true;
    setImmediate(() => {
      this.kickScheduled = false;
      const topics = [...this.kicked];
      this.kicked.clear();
      for (const t of topics) {
        this.flush(t).catch((err) => this.deps.logger.warn({ err: errorMessage(err), topic: t }, 'relay failed; the poll retries'));
      }
    });
  }

  /** Relays the topic's waiting rows now and waits for it. */
  flush(topic: string): Promise<void> {
    let rounds = this.rounds.get(topic);
    if (!rounds) {
      rounds = new SerialRounds(() => this.drainTopic(topic));
      this.rounds.set(topic, rounds);
    }
    return rounds.request();
  }

  private async poll(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        const rows = await this.deps.store.transaction((tx) => tx.all<{ topic: string }>(SQL.topics, []));
        await this.forEachLimited(rows, (r) => this.flush(r.topic));
        failures = 0;
        await sleep(this.deps.settings.relayPollMs, signal);
      } catch (err) {
        failures += 1;
        this.deps.logger.warn({ err: errorMessage(err), failures }, 'relay poll failed');
        await sleep(backoffMs(failures, this.deps.settings.relayPollMs, 5_000), signal);
      }
    }
  }

  private async forEachLimited<T>(items: readonly T[], fn: (item: T) => Promise<unknown>): Promise<void> {
    let next = 0;
    const lanes = Array.from({ length: Math.min(items.length, this.deps.settings.relayConcurrency) }, async () => {
      while (next < items.length) {
        const item = items[next++];
        if (item !== undefined) await fn(item);
      }
    });
    await Promise.all(lanes);
  }

  private async drainTopic(topic: string): Promise<void> {
    for (;;) {
      const moved = await this.relayBatch(topic);
      if (moved < this.deps.settings.relayBatch) return;
    }
  }

  /** Returns how many rows it moved (0 when none wait or other processes hold their partitions). */
  private async relayBatch(topic: string): Promise<number> {
    const { store, js, names, settings, hooks } = this.deps;
    return store.transaction(async (tx) => {
      const locks = await tx.all<{ partition: number; ok: boolean }>(SQL.lockPartitions, [`crossdock.relay:${topic}`, topic]);
      const partitions = locks.filter((l) => l.ok).map((l) => l.partition);
      if (partitions.length === 0) return 0;
      const rows: OutboxRow[] = await tx.db
        .selectFrom('el_outbox')
        .select(['seq', 'partition', 'id', 'key', 'correlationid', 'created_at', 'envelope'])
        .where('topic', '=', topic)
        .where('partition', 'in', partitions)
        .orderBy('seq')
        .limit(settings.relayBatch)
        .execute();
      if (rows.length === 0) return 0;
      await this.deps.ensureStream(topic);
      // In outbox order on one connection (per-partition order); every PubAck is awaited before
      // anything is deleted.
      const acks: PubAck[] = await Promise.all(
        rows.map((r) => js.publish(names.subject(topic, r.partition), r.envelope, { msgID: r.id, timeout: settings.publishTimeoutMs })),
      );
      await hooks?.afterPubAck?.(rows.map((r) => r.id));
      await tx.db
        .deleteFrom('el_outbox')
        .where(
          'seq',
          'in',
          rows.map((r) => r.seq),
        )
        .execute();
      await tx.db
        .insertInto('el_relayed')
        .values(
          rows.map((r, i) => ({
            topic,
            id: r.id,
            partition: r.partition,
            seq: acks[i]?.seq ?? 0,
            key: r.key,
            correlationid: r.correlationid,
            published_at: r.created_at,
          })),
        )
        .onConflict((oc) => oc.columns(['topic', 'id']).doNothing())
        .execute();
      return rows.length;
    });
  }
}
