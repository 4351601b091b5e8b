import type { NatsConnection } from '@nats-io/transport-node';
import { sql } from 'kysely';
import { backoffMs, type Clock, errorMessage, type Logger, sleep } from '../../../kernel/index.js';
import type { Store } from '../../../store/index.js';
import type { NatsNames } from './names.js';
import { PubAckWindows } from './pubacks.js';
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
  /** After JetStream acknowledged the batch, before the round that takes its rows off the outbox commits. */
  afterPubAck?(ids: readonly string[]): Promise<void> | void;
}

export interface RelayDeps {
  store: Store;
  nc: NatsConnection;
  names: NatsNames;
  logger: Logger;
  clock: Clock;
  settings: JetStreamSettings;
  /** Creates the topic's stream if missing (cached by the caller). */
  ensureStream(topic: string): Promise<void>;
  hooks?: RelayHooks;
}

const SQL = {
  // One statement per round: finds the partitions with waiting rows (a loose index scan of
  // el_outbox_partition, one probe per partition instead of reading every waiting row), takes each
  // one's transaction-scoped advisory lock that no other relay holds, and takes the oldest rows of
  // the locked partitions off the outbox. The DELETE is undone if the round fails before COMMIT
  // (PubAck missing, crash, a hook throwing), so the rows wait again exactly as if never taken.
  // Two-key (int4, int4) advisory locks live apart from the one-key (bigint) locks of leader
  // election. A row another relay deleted meanwhile is skipped by the DELETE itself (read committed).
  take:
    'WITH RECURSIVE parts(p) AS (' +
    'SELECT min("partition") FROM el_outbox WHERE topic = ? ' +
    'UNION ALL SELECT (SELECT min(o."partition") FROM el_outbox o WHERE o.topic = ? AND o."partition" > parts.p) FROM parts WHERE parts.p IS NOT NULL' +
    '), locked AS MATERIALIZED (' +
    'SELECT p FROM parts WHERE p IS NOT NULL AND pg_try_advisory_xact_lock(hashtext(?), p)' +
    '), taken AS (' +
    'SELECT w.seq FROM locked CROSS JOIN LATERAL (' +
    'SELECT o.seq FROM el_outbox o WHERE o.topic = ? AND o."partition" = locked.p ORDER BY o.seq LIMIT ?' +
    ') w ORDER BY w.seq LIMIT ?' +
    ') DELETE FROM el_outbox o USING taken WHERE o.seq = taken.seq ' +
    'RETURNING o.seq, o."partition", o.id, o.key, o.correlationid, o.created_at, o.envelope',
  // All rows of a round in one statement with one parameter: a multi-row VALUES list would need
  // seven parameters per row, each bound, parsed and planned anew.
  relayed:
    'INSERT INTO el_relayed (topic, id, "partition", seq, key, correlationid, published_at) ' +
    'SELECT ?, r.id, r.p, r.s, r.k, r.c, r.t FROM json_to_recordset(CAST(? AS json)) AS r(id text, p integer, s bigint, k text, c text, t bigint) ' +
    'ON CONFLICT (topic, id) DO NOTHING',
  // Loose index scan over el_outbox_id (topic, id): one probe per topic with waiting rows.
  topics:
    'WITH RECURSIVE t(topic) AS (SELECT min(topic) FROM el_outbox ' +
    'UNION ALL SELECT (SELECT min(o.topic) FROM el_outbox o WHERE o.topic > t.topic) FROM t WHERE t.topic IS NOT NULL) ' +
    'SELECT topic FROM t WHERE topic IS NOT NULL',
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
 * vanishes with its transaction. Each message carries `Nats-Msg-Id` = event id; the transaction that
 * takes the rows off the outbox also records their stream sequences and commits only after every
 * PubAck: a crash in between leaves the rows in the outbox and re-sends them, which JetStream drops
 * as duplicates within `duplicateWindowMs` (answering with the first copy's sequence); beyond it the
 * consumers' inbox drops them.
 */
export class Relay {
  private readonly rounds = new Map<string, SerialRounds>();
  private readonly kicked = new Set<string>();
  private kickScheduled = false;
  private loop: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private readonly pubAcks: PubAckWindows;

  constructor(private readonly deps: RelayDeps) {
    this.pubAcks = new PubAckWindows(deps.nc);
  }

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
    this.pubAcks.close();
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
        const { rows } = await sql.raw<{ topic: string }>(SQL.topics).execute(this.deps.store.db);
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
    const { store, names, settings, hooks } = this.deps;
    return store.transaction(async (tx) => {
      const rows = await tx.all<OutboxRow>(SQL.take, [
        topic,
        topic,
        `crossdock.relay:${topic}`,
        topic,
        settings.relayBatch,
        settings.relayBatch,
      ]);
      if (rows.length === 0) return 0;
      // RETURNING has no order: back to outbox order, which is each partition's publish order.
      rows.sort((a, b) => a.seq - b.seq);
      await this.deps.ensureStream(topic);
      // In outbox order on one connection (per-partition order); every PubAck is awaited before
      // the round commits.
      const seqs = await this.pubAcks.publish(
        rows.map((r) => ({ subject: names.subject(topic, r.partition), data: r.envelope, msgId: r.id })),
        settings.publishTimeoutMs,
      );
      await hooks?.afterPubAck?.(rows.map((r) => r.id));
      const relayed = rows.map((r, i) => ({ id: r.id, p: r.partition, s: seqs[i] ?? 0, k: r.key, c: r.correlationid, t: r.created_at }));
      await tx.run(SQL.relayed, [topic, JSON.stringify(relayed)]);
      return rows.length;
    });
  }
}
