import { sql } from 'kysely';
import type { Envelope, EventCatalog } from '../canonical/index.js';
import {
  backoffMs,
  type Clock,
  CrossdockError,
  classify,
  errorCode,
  errorMessage,
  type Logger,
  systemClock,
  withCorrelation,
} from '../kernel/index.js';
import type { SqlValue, Store, Tx } from '../store/index.js';
import { EventLogErrors } from './errors.js';
import type {
  AttemptRecord,
  DeadLetter,
  DeadLetterFilter,
  EventLog,
  EventLogStats,
  GroupFilter,
  HandlerContext,
  ParkedEvent,
  PublishOptions,
  PublishResult,
  ReadQuery,
  RedriveRequest,
  ReplayRequest,
  ReplayResult,
  RetryPolicy,
  StoredEvent,
  Subscription,
  TopicInfo,
} from './eventlog.js';
import { partitionFor } from './partition.js';

export interface SqlEventLogOptions {
  store: Store;
  catalog: EventCatalog;
  logger: Logger;
  clock?: Clock;
  defaultPartitions?: number;
  /** Partition counts per topic, used when a topic is first created. */
  topicPartitions?: Record<string, number>;
  retry?: Partial<RetryPolicy>;
  batchSize?: number;
  /** How often an idle consumer looks for events published by other processes. */
  pollIntervalMs?: number;
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseMs: 250, maxMs: 60_000 };
// SQLite allows 32766 bound parameters per statement; 9 columns x 500 rows stays far below.
const INSERT_CHUNK = 500;
// Inbox rows per multi-row claim on SQLite (3 parameters each).
const CLAIM_CHUNK = 32;
// Events per multi-row append on SQLite (9 parameters each).
const APPEND_CHUNK = 32;

type EventRow = { offset: number; id: string; type: string; key: string; envelope: string };

/**
 * An event of a publish, validated and serialised at once so the validated object can be dropped
 * (less for the garbage collector to copy while the publish waits for its transaction). The append
 * places it; once committed it serves as its partition tail's row.
 */
interface Outgoing extends EventRow {
  readonly id: string;
  readonly type: string;
  readonly key: string;
  readonly correlationid: string;
  readonly envelope: string;
  partition: number;
  /** -1 until placed; for an id the topic held already, where the first copy is. */
  offset: number;
  created: boolean;
}

// Rows a partition's tail keeps at most; a consumer further behind reads from the store.
const TAIL_LIMIT = 2_048;

/**
 * The latest events of one partition that this process published and saw commit, in offset order.
 * Events are immutable once committed, so a consumer reading contiguous offsets from here sees what
 * the store holds, without reading the rows back. Offsets published by another process are not
 * here: a gap ends the cached run and the consumer reads the store from there.
 */
class PartitionTail {
  private base = 0;
  private rows: EventRow[] = [];

  add(row: EventRow): void {
    if (row.offset !== this.base + this.rows.length) {
      this.base = row.offset;
      this.rows = [];
    }
    this.rows.push(row);
    if (this.rows.length > TAIL_LIMIT) this.trimBelow(this.base + this.rows.length - TAIL_LIMIT / 2);
  }

  /** Up to `limit` rows from `from` to `to` (inclusive), or undefined when `from` is not held. */
  read(from: number, to: number, limit: number): EventRow[] | undefined {
    const start = from - this.base;
    if (start < 0 || start >= this.rows.length) return undefined;
    return this.rows.slice(start, Math.min(this.rows.length, start + limit, to - this.base + 1));
  }

  /** Forgets rows every local group has consumed. */
  trimBelow(offset: number): void {
    const drop = Math.min(offset - this.base, this.rows.length);
    if (drop <= 0) return;
    this.rows = this.rows.slice(drop);
    this.base += drop;
  }
}

// Hot statements, written once for both dialects ("group", "partition", "offset" and "key" are
// reserved words, hence the quotes).
const SQL = {
  lockPartition: 'UPDATE el_partitions SET next_offset = next_offset WHERE topic = ? AND "partition" = ? RETURNING next_offset',
  insertEvent:
    'INSERT INTO el_events (topic, "partition", "offset", id, type, "key", correlationid, published_at, envelope) ' +
    'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (topic, id) DO NOTHING',
  findEvent: 'SELECT "partition", "offset" FROM el_events WHERE topic = ? AND id = ?',
  setPartitionHead: 'UPDATE el_partitions SET next_offset = ? WHERE topic = ? AND "partition" = ?',
  readBatch:
    'SELECT "offset", id, type, "key", envelope FROM el_events ' +
    'WHERE topic = ? AND "partition" = ? AND "offset" >= ? AND "offset" <= ? ORDER BY "offset" LIMIT ?',
  setGroupOffset: 'UPDATE el_offsets SET next_offset = ?, updated_at = ? WHERE "group" = ? AND topic = ? AND "partition" = ?',
  groupOffset: 'SELECT next_offset FROM el_offsets WHERE "group" = ? AND topic = ? AND "partition" = ?',
  partitionHead: 'SELECT next_offset FROM el_partitions WHERE topic = ? AND "partition" = ?',
  insertGroupOffset: 'INSERT INTO el_offsets ("group", topic, "partition", next_offset, updated_at) VALUES (?, ?, ?, ?, ?)',
  // The first parked event of each key (its head); the el_parked_key index serves the NOT EXISTS.
  parkedHeads:
    'SELECT p."offset", p."key", p.next_attempt_at FROM el_parked p WHERE p."group" = ? AND p.topic = ? AND p."partition" = ? ' +
    'AND NOT EXISTS (SELECT 1 FROM el_parked q WHERE q."group" = p."group" AND q.topic = p.topic AND q."partition" = p."partition" ' +
    'AND q."key" = p."key" AND q."offset" < p."offset") ORDER BY p."offset"',
  savepoint: 'SAVEPOINT el_batch',
  rollbackToSavepoint: 'ROLLBACK TO SAVEPOINT el_batch',
  releaseSavepoint: 'RELEASE SAVEPOINT el_batch',
  claimInbox: 'INSERT INTO el_inbox ("group", event_id, processed_at) VALUES (?, ?, ?) ON CONFLICT ("group", event_id) DO NOTHING',
} as const;

/**
 * Multi-row INSERTs without a conflict clause, one text per row count (at most a chunk's worth of
 * texts each, so the store's statement cache prepares each once).
 */
class MultiRowInsert {
  private readonly texts: string[] = [];
  constructor(
    private readonly head: string,
    private readonly row: string,
  ) {}
  text(rows: number): string {
    let text = this.texts[rows];
    if (text === undefined) {
      text = `${this.head} VALUES ${Array(rows).fill(this.row).join(', ')}`;
      this.texts[rows] = text;
    }
    return text;
  }
}

const insertEvents = new MultiRowInsert(
  'INSERT INTO el_events (topic, "partition", "offset", id, type, "key", correlationid, published_at, envelope)',
  '(?, ?, ?, ?, ?, ?, ?, ?, ?)',
);
const claimInboxRows = new MultiRowInsert('INSERT INTO el_inbox ("group", event_id, processed_at)', '(?, ?, ?)');

/** A UNIQUE or PRIMARY KEY violation reported by SQLite (its error codes are SQLITE_CONSTRAINT_*). */
function isConstraintViolation(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' && err.code.startsWith('SQLITE_CONSTRAINT')
  );
}

/** Thrown inside a batch transaction to roll it back when one handler fails; carries the failure. */
class BatchFailed extends Error {
  constructor(
    readonly offset: number,
    readonly failure: unknown,
  ) {
    super(`handler failed at offset ${offset}`);
  }
}

/** A stand-alone publish waiting for its group commit. */
interface QueuedPublish {
  info: TopicInfo;
  events: Outgoing[];
  resolve: (results: PublishResult[]) => void;
  reject: (err: unknown) => void;
}

/** What one consumer round found and did. */
interface Round {
  processed: number;
  /** More events may be waiting: the batch was full, or it stopped at a failing event. */
  more: boolean;
  /** Offsets of parked heads whose retry is due (the batch waits for them). */
  due: number[];
  /** When the earliest parked head not yet due becomes due. */
  nextDue: number;
}

/** The handler's context: a class rather than a literal with closures, built once per event. */
class EventContext implements HandlerContext {
  private child: Logger | undefined;
  constructor(
    private readonly log: EventLog,
    readonly tx: Tx,
    readonly partition: number,
    private readonly envelope: Envelope,
    readonly offset: number,
    readonly attempt: number,
    private readonly parent: Logger,
  ) {}
  // Built on first use: a child logger per event is a measurable cost on the hot path.
  get logger(): Logger {
    this.child ??= withCorrelation(this.parent, this.envelope.correlationid, { eventId: this.envelope.id, type: this.envelope.type });
    return this.child;
  }
  publish(topic: string, events: readonly Envelope[]): Promise<PublishResult[]> {
    return this.log.publish(topic, events, { tx: this.tx });
  }
}

/** One partition of one subscription, as consumed by this process. */
interface Worker {
  subscription: Subscription;
  retry: RetryPolicy;
  partition: number;
  log: Logger;
  /** There may be events to read: set by a publish here, a poll, a replay or a redrive, or a full batch. */
  dirty: boolean;
  /** When the earliest parked head not yet due becomes due. */
  nextDue: number;
  /** The offset this worker's group has committed up to, as far as this process knows. */
  position: number;
}

/**
 * A loop that consumes a set of workers' partitions. On SQLite one runner serves all partitions of
 * a subscription and applies their batches in one transaction (one commit instead of one per
 * partition; transactions are serial on SQLite anyway). On PostgreSQL each partition has its own
 * runner, so partitions are applied concurrently on the pool's connections.
 */
interface Runner {
  workers: Worker[];
  running: Promise<void> | undefined;
  /** Resolves the runner's idle wait early (new events, redrive, stop). */
  wake: (() => void) | undefined;
  busy: boolean;
}

/**
 * A handler's view of a shared transaction while one partition's batch is applied inside a
 * savepoint: its after-commit hooks (wake-ups, cache fills of follow-up events) are kept back
 * until the savepoint is released, and dropped when it is rolled back.
 */
class SavepointTx implements Tx {
  private readonly hooks: Array<() => void> = [];
  constructor(private readonly parent: Tx) {}
  get db() {
    return this.parent.db;
  }
  get dialect() {
    return this.parent.dialect;
  }
  run(sqlText: string, params: readonly SqlValue[]): Promise<number> {
    return this.parent.run(sqlText, params);
  }
  all<R>(sqlText: string, params: readonly SqlValue[]): Promise<R[]> {
    return this.parent.all<R>(sqlText, params);
  }
  afterCommit(fn: () => void): void {
    this.hooks.push(fn);
  }
  /** Hands the kept hooks to the enclosing transaction (the savepoint was released). */
  release(): void {
    for (const fn of this.hooks) this.parent.afterCommit(fn);
  }
}

export class SqlEventLog implements EventLog {
  private readonly store: Store;
  private readonly catalog: EventCatalog;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly defaultPartitions: number;
  private readonly topicPartitions: Record<string, number>;
  private readonly retry: RetryPolicy;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly topics = new Map<string, TopicInfo>();
  private readonly subscriptions: Subscription[] = [];
  private readonly runners: Runner[] = [];
  /** Stand-alone publishes waiting for the next group commit (SQLite). */
  private readonly publishQueue: QueuedPublish[] = [];
  private flushing = false;
  private readonly tails = new Map<string, PartitionTail[]>();
  /** Partition by topic and key: hashing the key's UTF-8 bytes on every publish is a measurable cost. */
  private readonly partitionCache = new Map<string, Map<string, number>>();
  private started = false;
  private stopping = false;

  constructor(options: SqlEventLogOptions) {
    this.store = options.store;
    this.catalog = options.catalog;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.defaultPartitions = options.defaultPartitions ?? 8;
    this.topicPartitions = options.topicPartitions ?? {};
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.batchSize = options.batchSize ?? 256;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
  }

  async ensureTopic(topic: string, partitions?: number, outer?: Tx): Promise<TopicInfo> {
    const cached = this.topics.get(topic);
    if (cached) return cached;
    if (!/^[a-z0-9][a-z0-9._-]{0,199}$/.test(topic)) {
      throw EventLogErrors.badRequest(`topic name "${topic}" must be lower-case letters, digits, '.', '_' or '-'`, { path: 'topic' });
    }
    const wanted = partitions ?? this.topicPartitions[topic] ?? this.defaultPartitions;
    const info = await this.store.transaction(async (tx) => {
      await tx.db
        .insertInto('el_topics')
        .values({ name: topic, partitions: wanted, created_at: this.clock.now() })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const row = await tx.db.selectFrom('el_topics').select(['name', 'partitions']).where('name', '=', topic).executeTakeFirstOrThrow();
      const rows = Array.from({ length: row.partitions }, (_, partition) => ({ topic, partition, next_offset: 0 }));
      await tx.db
        .insertInto('el_partitions')
        .values(rows)
        .onConflict((oc) => oc.columns(['topic', 'partition']).doNothing())
        .execute();
      const info = { name: row.name, partitions: row.partitions };
      // Cached only once committed: a rolled-back outer transaction takes the topic's rows with it.
      tx.afterCommit(() => this.topics.set(topic, info));
      return info;
    }, outer);
    if (info.partitions !== wanted) {
      // Changing the count would move keys between partitions and break per-key order.
      this.logger.warn({ topic, existing: info.partitions, configured: wanted }, 'topic keeps its original partition count');
    }
    return info;
  }

  async publish(topic: string, events: readonly Envelope[], options: PublishOptions = {}): Promise<PublishResult[]> {
    if (events.length === 0) return [];
    // Validate everything before writing anything: a bad event refuses the whole batch.
    const outgoing: Outgoing[] = [];
    for (let index = 0; index < events.length; index++) {
      let valid: Envelope;
      try {
        valid = this.catalog.validate(events[index], { dataParsed: options.dataParsed === true });
      } catch (err) {
        if (events.length > 1 && err instanceof CrossdockError) {
          throw new CrossdockError(err.code, err.errorClass, `events[${index}]: ${err.message}`, { ...err.details, index }, { cause: err });
        }
        throw err;
      }
      outgoing.push({
        id: valid.id,
        type: valid.type,
        key: valid.partitionkey,
        correlationid: valid.correlationid,
        envelope: JSON.stringify(valid),
        partition: -1,
        offset: -1,
        created: false,
      });
    }
    const info = await this.ensureTopic(topic, undefined, options.tx);
    if (options.tx === undefined && this.store.dialect === 'sqlite') return this.enqueue(info, outgoing);
    return this.store.transaction((tx) => this.appendAndAnnounce(tx, info, outgoing), options.tx);
  }

  /** Appends in `tx`; once it commits, fills the topic's tails and wakes the partitions written to. */
  private async appendAndAnnounce(tx: Tx, info: TopicInfo, events: Outgoing[]): Promise<PublishResult[]> {
    const tails = this.tailsOf(info);
    const results = await this.append(tx, info, events);
    tx.afterCommit(() => {
      // Events are in offset order per partition, as the tails need them.
      if (tails) for (const e of events) if (e.created) tails[e.partition]?.add(e);
      this.wakePartitions(info.name, results);
    });
    return results;
  }

  /**
   * Group commit of stand-alone publishes on SQLite. A publish that arrives while another one's
   * transaction is queued or running waits, and all that waited commit together in the next
   * transaction: one commit instead of one each, which keeps single-event publishers from queueing
   * up behind each other's commits. Each publish still commits whole or not at all: if the shared
   * transaction fails, each is redone in its own, so one publish's failure never fails another.
   */
  private enqueue(info: TopicInfo, events: Outgoing[]): Promise<PublishResult[]> {
    return new Promise((resolve, reject) => {
      this.publishQueue.push({ info, events, resolve, reject });
      if (!this.flushing) void this.flushPublishes();
    });
  }

  /**
   * Commits queued publishes until none is left; never rejects (each publish gets its outcome).
   * `flushing` is cleared in the same tick as the queue is found empty, so a publish queued later
   * always starts a new flush.
   */
  private async flushPublishes(): Promise<void> {
    this.flushing = true;
    try {
      while (this.publishQueue.length > 0) {
        const group = this.publishQueue.splice(0);
        let results: PublishResult[][] | undefined;
        try {
          results = await this.store.transaction(async (tx) => {
            const out: PublishResult[][] = [];
            for (const p of group) out.push(await this.appendAndAnnounce(tx, p.info, p.events));
            return out;
          });
        } catch (err) {
          if (group.length === 1) group[0]?.reject(err);
        }
        if (results) {
          for (const [i, p] of group.entries()) p.resolve(results[i] ?? []);
        } else if (group.length > 1) {
          for (const p of group) {
            try {
              p.resolve(await this.store.transaction((tx) => this.appendAndAnnounce(tx, p.info, p.events)));
            } catch (err) {
              p.reject(err);
            }
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** The tails of a topic this process consumes; none for a topic it only publishes to. */
  private tailsOf(info: TopicInfo): PartitionTail[] | undefined {
    let tails = this.tails.get(info.name);
    if (tails === undefined && this.subscriptions.some((s) => s.topic === info.name)) {
      tails = Array.from({ length: info.partitions }, () => new PartitionTail());
      this.tails.set(info.name, tails);
    }
    return tails;
  }

  /**
   * Appends in the caller's transaction. Offsets are read with a row lock on each partition
   * (`UPDATE … RETURNING`, in partition order so concurrent publishes cannot deadlock on
   * PostgreSQL), assigned only to events actually inserted (so a duplicate id leaves no gap), and
   * written back once per partition.
   */
  private async append(tx: Tx, info: TopicInfo, events: Outgoing[]): Promise<PublishResult[]> {
    const topic = info.name;
    const now = this.clock.now();
    // A later copy of an id in the same publish is answered from the first and not written.
    const firsts = events.length > 1 ? new Map<string, Outgoing>() : undefined;
    const sources: Outgoing[] = [];
    const fresh: Outgoing[] = [];
    const next: number[] = new Array<number>(info.partitions).fill(-1);
    for (const event of events) {
      const first = firsts?.get(event.id);
      if (first !== undefined) {
        sources.push(first);
        continue;
      }
      firsts?.set(event.id, event);
      sources.push(event);
      fresh.push(event);
      // Reset: a publish whose shared transaction failed is appended again in one of its own.
      event.partition = this.partitionOf(info, event.key);
      event.offset = -1;
      event.created = false;
      next[event.partition] = 0;
    }
    for (const [partition, wanted] of next.entries()) {
      if (wanted === -1) continue;
      const [row] = await tx.all<{ next_offset: number }>(SQL.lockPartition, [topic, partition]);
      if (!row) throw EventLogErrors.unknownTopic(`topic ${topic} has no partition ${partition}`);
      next[partition] = Number(row.next_offset);
    }
    if (tx.dialect === 'sqlite') {
      for (let i = 0; i < fresh.length; i += APPEND_CHUNK) {
        await this.insertChunk(tx, topic, fresh, i, Math.min(i + APPEND_CHUNK, fresh.length), next, now);
      }
    } else {
      // Over a network a failed statement aborts the whole transaction, so each row says itself
      // whether it was new.
      for (const event of fresh) await this.insertOne(tx, topic, event, next, now);
    }
    for (const [partition, offset] of next.entries()) {
      if (offset !== -1) await tx.run(SQL.setPartitionHead, [offset, topic, partition]);
    }
    return sources.map((source, i) => ({
      id: source.id,
      topic,
      partition: source.partition,
      offset: source.offset,
      created: source.created && source === events[i],
    }));
  }

  /**
   * SQLite: events[from..to) go in one cached multi-row INSERT with no conflict clause, offsets
   * assigned up front (measured: about a quarter less than a statement per row). Normally no id was
   * published before and the statement writes them all; if one was, SQLite aborts that statement
   * alone (the transaction goes on), and the chunk is written row by row from the same offsets.
   */
  private async insertChunk(
    tx: Tx,
    topic: string,
    events: Outgoing[],
    from: number,
    to: number,
    next: number[],
    now: number,
  ): Promise<void> {
    const params = new Array<SqlValue>((to - from) * 9);
    let p = 0;
    for (let i = from; i < to; i++) {
      const e = events[i]!;
      const offset = next[e.partition] ?? 0;
      next[e.partition] = offset + 1;
      e.offset = offset;
      e.created = true;
      params[p++] = topic;
      params[p++] = e.partition;
      params[p++] = offset;
      params[p++] = e.id;
      params[p++] = e.type;
      params[p++] = e.key;
      params[p++] = e.correlationid;
      params[p++] = now;
      params[p++] = e.envelope;
    }
    try {
      await tx.run(insertEvents.text(to - from), params);
      return;
    } catch (err) {
      if (!isConstraintViolation(err)) throw err;
    }
    // Back to each partition's first offset in the chunk (going backwards, the earliest is set last).
    for (let i = to - 1; i >= from; i--) {
      const e = events[i]!;
      next[e.partition] = e.offset;
      e.offset = -1;
      e.created = false;
    }
    for (let i = from; i < to; i++) await this.insertOne(tx, topic, events[i]!, next, now);
  }

  /** Inserts one event at its partition's next offset, unless its id is in the topic already. */
  private async insertOne(tx: Tx, topic: string, e: Outgoing, next: number[], now: number): Promise<void> {
    const offset = next[e.partition] ?? 0;
    const inserted = await tx.run(SQL.insertEvent, [topic, e.partition, offset, e.id, e.type, e.key, e.correlationid, now, e.envelope]);
    if (inserted === 1) {
      e.offset = offset;
      e.created = true;
      next[e.partition] = offset + 1;
      return;
    }
    const [old] = await tx.all<{ partition: number; offset: number }>(SQL.findEvent, [topic, e.id]);
    e.partition = Number(old?.partition ?? -1);
    e.offset = Number(old?.offset ?? -1);
  }

  private partitionOf(info: TopicInfo, key: string): number {
    let byKey = this.partitionCache.get(info.name);
    if (byKey === undefined) {
      byKey = new Map();
      this.partitionCache.set(info.name, byKey);
    }
    let partition = byKey.get(key);
    if (partition === undefined) {
      // Bounded: a topic keyed by ever-new ids (orders) would otherwise grow it forever.
      if (byKey.size >= 50_000) byKey.clear();
      partition = partitionFor(key, info.partitions);
      byKey.set(key, partition);
    }
    return partition;
  }

  subscribe(subscription: Subscription): void {
    if (this.subscriptions.some((s) => s.group === subscription.group && s.topic === subscription.topic)) {
      throw EventLogErrors.badRequest(`group ${subscription.group} is already subscribed to ${subscription.topic}`);
    }
    this.subscriptions.push(subscription);
    if (this.started) void this.startSubscription(subscription);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    await Promise.all(this.subscriptions.map((s) => this.startSubscription(s)));
  }

  private async startSubscription(subscription: Subscription): Promise<void> {
    const info = await this.ensureTopic(subscription.topic);
    const retry = { ...this.retry, ...subscription.retry };
    const workers = Array.from(
      { length: info.partitions },
      (_, partition): Worker => ({
        subscription,
        retry,
        partition,
        log: this.logger.child({ group: subscription.group, topic: subscription.topic, partition }),
        dirty: true,
        nextDue: Number.POSITIVE_INFINITY,
        position: 0,
      }),
    );
    const sets = this.store.dialect === 'sqlite' ? [workers] : workers.map((w) => [w]);
    for (const set of sets) {
      const runner: Runner = { workers: set, running: undefined, wake: undefined, busy: false };
      this.runners.push(runner);
      runner.running = this.run(runner);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const r of this.runners) r.wake?.();
    await Promise.all(this.runners.map((r) => r.running));
    this.runners.length = 0;
    this.started = false;
  }

  /** The lowest offset the local groups of a partition have consumed up to. */
  private consumedByAll(topic: string, partition: number): number {
    let min = Number.POSITIVE_INFINITY;
    for (const r of this.runners) {
      for (const w of r.workers) if (w.subscription.topic === topic && w.partition === partition && w.position < min) min = w.position;
    }
    return min === Number.POSITIVE_INFINITY ? 0 : min;
  }

  private wakeTopic(topic: string): void {
    for (const r of this.runners) {
      let woken = false;
      for (const w of r.workers) {
        if (w.subscription.topic !== topic) continue;
        w.dirty = true;
        woken = true;
      }
      if (woken) r.wake?.();
    }
  }

  /**
   * Wakes only the partitions that received events: waking every partition of the topic on each
   * publish made each idle partition run an empty round per publish.
   */
  private wakePartitions(topic: string, results: readonly PublishResult[]): void {
    const touched = new Set<number>();
    for (const r of results) if (r.created) touched.add(r.partition);
    for (const r of this.runners) {
      let woken = false;
      for (const w of r.workers) {
        if (w.subscription.topic !== topic || !touched.has(w.partition)) continue;
        w.dirty = true;
        woken = true;
      }
      if (woken) r.wake?.();
    }
  }

  private async run(runner: Runner): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let idleMs: number;
      try {
        runner.busy = true;
        idleMs = await this.step(runner);
        failures = 0;
      } catch (err) {
        // The store itself failed (locked, unavailable): back off and try again; nothing was lost
        // because nothing committed. Every partition is looked at again.
        failures += 1;
        idleMs = backoffMs(failures, 100, 5_000);
        for (const w of runner.workers) w.dirty = true;
        runner.workers[0]?.log.error({ err, failures }, 'consumer step failed');
      } finally {
        runner.busy = false;
      }
      if (idleMs > 0 && !this.stopping) {
        // A wait that ends by its timer is a poll: events may have come from another process.
        if (await this.idle(runner, idleMs)) for (const w of runner.workers) w.dirty = true;
      }
    }
  }

  /** Waits up to `ms`; resolves true when the time ran out, false when woken. */
  private idle(runner: Runner, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(true), ms);
      function done(timedOut: boolean) {
        clearTimeout(timer);
        runner.wake = undefined;
        resolve(timedOut);
      }
      runner.wake = () => done(false);
    });
  }

  /** One round of work over the runner's partitions. Returns how long to idle (0: more is waiting). */
  private async step(runner: Runner): Promise<number> {
    const now = this.clock.now();
    const ready = runner.workers.filter((w) => w.dirty || w.nextDue <= now);
    if (ready.length > 0) {
      // Cleared before the round: a publish committing meanwhile marks its partition again.
      for (const w of ready) w.dirty = false;
      const rounds = await this.store.transaction(async (tx) => {
        const out: Round[] = [];
        for (const w of ready) out.push(await this.round(tx, w));
        return out;
      });
      for (const [i, round] of rounds.entries()) {
        const w = ready[i]!;
        w.nextDue = round.nextDue;
        for (const offset of round.due) await this.retryParked(w, offset, w.log);
        if (round.due.length > 0 || round.more) w.dirty = true;
      }
    }
    if (runner.workers.some((w) => w.dirty)) return 0;
    let untilDue = Number.POSITIVE_INFINITY;
    for (const w of runner.workers) untilDue = Math.min(untilDue, w.nextDue - this.clock.now());
    return Math.max(1, Math.min(this.pollIntervalMs, untilDue));
  }

  /**
   * One partition's round, inside the runner's transaction: reads the parked heads and applies the
   * next batch (the parked set and the batch are seen consistently). Heads due for a retry are
   * returned; the runner retries them after this transaction commits.
   */
  private async round(tx: Tx, worker: Worker): Promise<Round> {
    const { group, topic } = worker.subscription;
    const heads = await tx.all<{ offset: number; key: string; next_attempt_at: number }>(SQL.parkedHeads, [group, topic, worker.partition]);
    const round: Round = { processed: 0, more: false, due: [], nextDue: Number.POSITIVE_INFINITY };
    const parkedKeys = new Set<string>();
    const now = this.clock.now();
    for (const head of heads) {
      parkedKeys.add(head.key);
      const at = Number(head.next_attempt_at);
      if (at <= now) round.due.push(Number(head.offset));
      else if (at < round.nextDue) round.nextDue = at;
    }
    // The batch goes on whether or not retries are due: a parked key's events are parked behind its
    // head, and other keys flow however long the retries (run after this commit) take.
    const from = await this.loadOffset(tx, worker);
    const tail = this.tails.get(topic)?.[worker.partition];
    const rows =
      tail?.read(from, Number.MAX_SAFE_INTEGER, this.batchSize) ??
      (await tx.all<EventRow>(SQL.readBatch, [topic, worker.partition, from, Number.MAX_SAFE_INTEGER, this.batchSize]));
    if (rows.length === 0) return round;

    // The batch runs in a savepoint: a failing handler rolls back this partition's batch only.
    await tx.run(SQL.savepoint, []);
    let scoped = new SavepointTx(tx);
    let applied: EventRow[];
    try {
      applied = await this.applyBatch(scoped, worker, rows, new Set(parkedKeys), undefined);
    } catch (err) {
      if (!(err instanceof BatchFailed)) throw err;
      await tx.run(SQL.rollbackToSavepoint, []);
      // Redo the batch up to the failed event: the events before it take effect, the failed one is
      // parked (its handler is not run again; its error was kept) and the next round resumes after it.
      scoped = new SavepointTx(tx);
      applied = await this.applyBatch(
        scoped,
        worker,
        rows.filter((r) => Number(r.offset) <= err.offset),
        new Set(parkedKeys),
        err,
      );
    }
    await tx.run(SQL.releaseSavepoint, []);
    scoped.release();
    round.processed = applied.length;
    round.more = applied.length >= this.batchSize || applied.length < rows.length;
    const next = Number(applied.at(-1)!.offset) + 1;
    await tx.run(SQL.setGroupOffset, [next, this.clock.now(), group, topic, worker.partition]);
    tx.afterCommit(() => {
      worker.position = next;
      tail?.trimBelow(this.consumedByAll(topic, worker.partition));
    });
    return round;
  }

  private async loadOffset(tx: Tx, worker: Worker): Promise<number> {
    const { group, topic, startAt } = worker.subscription;
    const [row] = await tx.all<{ next_offset: number }>(SQL.groupOffset, [group, topic, worker.partition]);
    if (row) return Number(row.next_offset);
    let start = 0;
    if (startAt === 'latest') {
      const [head] = await tx.all<{ next_offset: number }>(SQL.partitionHead, [topic, worker.partition]);
      if (!head) throw EventLogErrors.unknownTopic(`topic ${topic} has no partition ${worker.partition}`);
      start = Number(head.next_offset);
    }
    await tx.run(SQL.insertGroupOffset, [group, topic, worker.partition, start, this.clock.now()]);
    return start;
  }

  /**
   * Applies a batch read from the group's offset; returns the rows it consumed. With `failed`
   * undefined it is the fast path: any handler failure aborts it (BatchFailed). With `failed` set,
   * the rows end at the failed offset, whose handler is known to fail: events before it are applied
   * and it is parked (or dead-lettered).
   */
  private async applyBatch(
    tx: Tx,
    worker: Worker,
    rows: EventRow[],
    keys: Set<string>,
    failed: BatchFailed | undefined,
  ): Promise<EventRow[]> {
    const { group, types } = worker.subscription;
    const log = worker.log;
    // Events of types the group does not take are acknowledged by the offset alone.
    const wanted =
      keys.size === 0 && types === undefined
        ? rows
        : rows.filter((r) => !keys.has(r.key) && (types === undefined || types.includes(r.type)));
    const claimedBefore = await this.claimInbox(tx, group, wanted);
    const toPark: EventRow[] = [];
    for (const row of rows) {
      if (keys.has(row.key)) {
        toPark.push(row);
        continue;
      }
      // A type the group does not take, or applied before (an id can come again on another topic).
      if ((types !== undefined && !types.includes(row.type)) || claimedBefore.has(row.id)) continue;
      const envelope = JSON.parse(row.envelope) as Envelope;
      const offset = Number(row.offset);
      if (failed && failed.offset === offset) {
        // Known to fail: its inbox claim is released and it is parked as the key's head.
        await tx.db.deleteFrom('el_inbox').where('group', '=', group).where('event_id', '=', row.id).execute();
        await this.recordFailure(tx, worker, row, envelope.correlationid, failed.failure, 0, [], log);
        keys.add(row.key);
        continue;
      }
      try {
        await worker.subscription.handler(envelope, new EventContext(this, tx, worker.partition, envelope, offset, 1, log));
      } catch (err) {
        if (failed === undefined) throw new BatchFailed(offset, err);
        throw err;
      }
    }
    if (toPark.length > 0) await this.parkBehind(tx, worker, toPark);
    return rows;
  }

  /** Inserts inbox rows; returns the ids of those this group had processed before (normally none). */
  private async claimInbox(tx: Tx, group: string, rows: EventRow[]): Promise<Set<string>> {
    const before = new Set<string>();
    const now = this.clock.now();
    if (tx.dialect === 'sqlite') {
      // Chunks go in one cached multi-row INSERT without a conflict clause: normally no event was
      // claimed before and one statement claims them all (measured: half the cost of a statement
      // per row). A claimed event among them aborts that statement only (SQLite backs out the
      // statement, the transaction goes on), and the chunk is claimed row by row instead.
      for (let i = 0; i < rows.length; i += CLAIM_CHUNK) {
        const end = Math.min(i + CLAIM_CHUNK, rows.length);
        const params = new Array<SqlValue>((end - i) * 3);
        for (let j = i, p = 0; j < end; j++) {
          params[p++] = group;
          params[p++] = rows[j]!.id;
          params[p++] = now;
        }
        try {
          await tx.run(claimInboxRows.text(end - i), params);
          continue;
        } catch (err) {
          if (!isConstraintViolation(err)) throw err;
        }
        for (let j = i; j < end; j++) if ((await tx.run(SQL.claimInbox, [group, rows[j]!.id, now])) === 0) before.add(rows[j]!.id);
      }
      return before;
    }
    // Over a network, one statement per batch instead of a round trip per event.
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const inserted = await tx.db
        .insertInto('el_inbox')
        .values(chunk.map((r) => ({ group, event_id: r.id, processed_at: now })))
        .onConflict((oc) => oc.columns(['group', 'event_id']).doNothing())
        .returning('event_id')
        .execute();
      const fresh = new Set(inserted.map((r) => r.event_id));
      for (const r of chunk) if (!fresh.has(r.id)) before.add(r.id);
    }
    return before;
  }

  /** Parks events behind their key's failing head; they run, in order, once the head is done. */
  private async parkBehind(tx: Tx, worker: Worker, rows: EventRow[]): Promise<void> {
    const { group, topic } = worker.subscription;
    await tx.db
      .insertInto('el_parked')
      .values(
        rows.map((r) => ({
          group,
          topic,
          partition: worker.partition,
          offset: r.offset,
          key: r.key,
          event_id: r.id,
          attempts: 0,
          next_attempt_at: 0,
          last_error: null,
          history: '[]',
        })),
      )
      .onConflict((oc) => oc.columns(['group', 'topic', 'partition', 'offset']).doNothing())
      .execute();
  }

  /**
   * Records a failed attempt of a parked (or newly failing) event: schedules the next attempt, or
   * moves it to the dead letters when it is permanent or out of attempts.
   */
  private async recordFailure(
    tx: Tx,
    worker: Worker,
    row: EventRow,
    correlationid: string | undefined,
    err: unknown,
    previousAttempts: number,
    previousHistory: AttemptRecord[],
    log: Logger,
  ): Promise<void> {
    const { group, topic } = worker.subscription;
    const now = this.clock.now();
    const attempts = previousAttempts + 1;
    const errClass = classify(err);
    const record: AttemptRecord = { at: now, code: errorCode(err), class: errClass, message: errorMessage(err) };
    const history = [...previousHistory, record];
    const dead = errClass !== 'retryable' || attempts >= worker.retry.maxAttempts;
    const elog = withCorrelation(log, correlationid, { eventId: row.id, offset: row.offset, attempts });
    if (dead) {
      await tx.db
        .deleteFrom('el_parked')
        .where('group', '=', group)
        .where('topic', '=', topic)
        .where('partition', '=', worker.partition)
        .where('offset', '=', row.offset)
        .execute();
      await tx.db
        .insertInto('el_dead_letters')
        .values({
          group,
          topic,
          partition: worker.partition,
          offset: row.offset,
          key: row.key,
          event_id: row.id,
          type: row.type,
          envelope: row.envelope,
          error_code: record.code,
          error_class: record.class,
          error_message: record.message,
          attempts,
          history: JSON.stringify(history),
          dead_at: now,
          redriven_at: null,
        })
        .execute();
      elog.error({ code: record.code, class: record.class, err: record.message }, 'event dead-lettered');
      return;
    }
    const retryAfter = err instanceof CrossdockError ? err.retryAfterMs : undefined;
    const delay = Math.max(retryAfter ?? 0, backoffMs(attempts, worker.retry.baseMs, worker.retry.maxMs));
    await tx.db
      .insertInto('el_parked')
      .values({
        group,
        topic,
        partition: worker.partition,
        offset: row.offset,
        key: row.key,
        event_id: row.id,
        attempts,
        next_attempt_at: now + delay,
        last_error: record.message,
        history: JSON.stringify(history),
      })
      .onConflict((oc) =>
        oc.columns(['group', 'topic', 'partition', 'offset']).doUpdateSet({
          attempts,
          next_attempt_at: now + delay,
          last_error: record.message,
          history: JSON.stringify(history),
        }),
      )
      .execute();
    elog.warn({ code: record.code, class: record.class, err: record.message, retryInMs: delay }, 'event parked');
  }

  /** Runs the head of a parked key once more. */
  private async retryParked(worker: Worker, offset: number, log: Logger): Promise<void> {
    const { group, topic } = worker.subscription;
    let failure: { err: unknown; row: EventRow; correlationid: string | undefined; attempts: number; history: AttemptRecord[] } | undefined;
    try {
      await this.store.transaction(async (tx) => {
        const parked = await tx.db
          .selectFrom('el_parked')
          .selectAll()
          .where('group', '=', group)
          .where('topic', '=', topic)
          .where('partition', '=', worker.partition)
          .where('offset', '=', offset)
          .executeTakeFirst();
        if (!parked) return;
        const history = JSON.parse(parked.history) as AttemptRecord[];
        const event: EventRow | undefined = await tx.db
          .selectFrom('el_events')
          .select(['offset', 'id', 'type', 'key', 'envelope'])
          .where('topic', '=', topic)
          .where('partition', '=', worker.partition)
          .where('offset', '=', offset)
          .executeTakeFirst();
        if (!event) {
          failure = {
            err: EventLogErrors.eventExpired(`event ${parked.event_id} at ${topic}/${worker.partition}/${offset} is no longer retained`),
            row: { offset, id: parked.event_id, type: 'unknown', key: parked.key, envelope: '{}' },
            correlationid: undefined,
            attempts: parked.attempts,
            history,
          };
          return;
        }
        const envelope = JSON.parse(event.envelope) as Envelope;
        const claimedBefore = await this.claimInbox(tx, group, [event]);
        const wanted = !worker.subscription.types || worker.subscription.types.includes(envelope.type);
        if (!claimedBefore.has(event.id) && wanted) {
          try {
            await worker.subscription.handler(
              envelope,
              new EventContext(this, tx, worker.partition, envelope, offset, parked.attempts + 1, log),
            );
          } catch (err) {
            failure = { err, row: event, correlationid: envelope.correlationid, attempts: parked.attempts, history };
            throw err;
          }
        }
        await tx.db
          .deleteFrom('el_parked')
          .where('group', '=', group)
          .where('topic', '=', topic)
          .where('partition', '=', worker.partition)
          .where('offset', '=', offset)
          .execute();
      });
    } catch (err) {
      if (!failure) throw err;
    }
    const f = failure;
    if (f) {
      await this.store.transaction((tx) => this.recordFailure(tx, worker, f.row, f.correlationid, f.err, f.attempts, f.history, log));
    }
  }

  async read(topic: string, query: ReadQuery): Promise<StoredEvent[]> {
    let q = this.store.db
      .selectFrom('el_events')
      .select(['topic', 'partition', 'offset', 'published_at', 'envelope'])
      .where('topic', '=', topic)
      .orderBy('published_at', query.newest ? 'desc' : 'asc')
      .orderBy('partition')
      .orderBy('offset', query.newest ? 'desc' : 'asc')
      .limit(Math.min(query.limit ?? 100, 10_000));
    if (query.partition !== undefined) q = q.where('partition', '=', query.partition);
    if (query.fromOffset !== undefined) q = q.where('offset', '>=', query.fromOffset);
    if (query.fromTime !== undefined) q = q.where('published_at', '>=', query.fromTime);
    if (query.key !== undefined) q = q.where('key', '=', query.key);
    if (query.correlationid !== undefined) q = q.where('correlationid', '=', query.correlationid);
    const rows = await q.execute();
    if (query.newest) rows.reverse();
    return rows.map((r) => ({
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      publishedAt: r.published_at,
      envelope: JSON.parse(r.envelope) as Envelope,
    }));
  }

  async replay(request: ReplayRequest): Promise<ReplayResult> {
    const { group, topic } = request;
    if ((request.fromOffset === undefined) === (request.fromTime === undefined)) {
      throw EventLogErrors.badRequest('replay needs exactly one of fromOffset or fromTime', { path: 'fromOffset' });
    }
    if (request.fromOffset !== undefined && request.partition === undefined) {
      throw EventLogErrors.badRequest('replay from an offset needs a partition (offsets are per partition)', { path: 'partition' });
    }
    const info = await this.existingTopic(topic);
    if (request.partition !== undefined && (request.partition < 0 || request.partition >= info.partitions)) {
      throw EventLogErrors.badRequest(`topic ${topic} has partitions 0..${info.partitions - 1}`, { path: 'partition' });
    }
    const partitions = request.partition !== undefined ? [request.partition] : Array.from({ length: info.partitions }, (_, i) => i);
    const result = await this.store.transaction(async (tx) => {
      const out: ReplayResult = { partitions: [], events: 0 };
      for (const partition of partitions) {
        const current = await tx.db
          .selectFrom('el_offsets')
          .select('next_offset')
          .where('group', '=', group)
          .where('topic', '=', topic)
          .where('partition', '=', partition)
          .executeTakeFirst();
        const to = current?.next_offset ?? 0;
        let from = request.fromOffset ?? to;
        if (request.fromTime !== undefined) {
          const first = await tx.db
            .selectFrom('el_events')
            .select('offset')
            .where('topic', '=', topic)
            .where('partition', '=', partition)
            .where('published_at', '>=', request.fromTime)
            .orderBy('offset')
            .limit(1)
            .executeTakeFirst();
          from = first?.offset ?? to;
        }
        if (from >= to) continue;
        // Forget that the group processed these events, so they take effect again.
        await tx.db
          .deleteFrom('el_inbox')
          .where('group', '=', group)
          .where(
            'event_id',
            'in',
            tx.db
              .selectFrom('el_events')
              .select('id')
              .where('topic', '=', topic)
              .where('partition', '=', partition)
              .where('offset', '>=', from)
              .where('offset', '<', to),
          )
          .execute();
        await tx.db
          .updateTable('el_offsets')
          .set({ next_offset: from, updated_at: this.clock.now() })
          .where('group', '=', group)
          .where('topic', '=', topic)
          .where('partition', '=', partition)
          .execute();
        out.partitions.push({ partition, from, to });
        out.events += to - from;
      }
      return out;
    });
    this.wakeTopic(topic);
    return result;
  }

  private async existingTopic(topic: string): Promise<TopicInfo> {
    const row = await this.store.db.selectFrom('el_topics').select(['name', 'partitions']).where('name', '=', topic).executeTakeFirst();
    if (!row) throw EventLogErrors.unknownTopic(`no topic named ${topic}`, { path: 'topic' });
    return { name: row.name, partitions: row.partitions };
  }

  async listParked(filter: GroupFilter = {}): Promise<ParkedEvent[]> {
    let q = this.store.db.selectFrom('el_parked').selectAll().orderBy('group').orderBy('topic').orderBy('partition').orderBy('offset');
    if (filter.group) q = q.where('group', '=', filter.group);
    if (filter.topic) q = q.where('topic', '=', filter.topic);
    const rows = await q.execute();
    return rows.map((r) => ({
      group: r.group,
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      key: r.key,
      eventId: r.event_id,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      lastError: r.last_error,
    }));
  }

  async listDeadLetters(filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    let q = this.store.db
      .selectFrom('el_dead_letters')
      .selectAll()
      .orderBy('id')
      .limit(Math.min(filter.limit ?? 1000, 10_000));
    if (filter.group) q = q.where('group', '=', filter.group);
    if (filter.topic) q = q.where('topic', '=', filter.topic);
    if (!filter.includeRedriven) q = q.where('redriven_at', 'is', null);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      group: r.group,
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      key: r.key,
      eventId: r.event_id,
      type: r.type,
      envelope: JSON.parse(r.envelope) as Envelope,
      errorCode: r.error_code,
      errorClass: r.error_class === 'permanent' || r.error_class === 'business' ? r.error_class : 'retryable',
      errorMessage: r.error_message,
      attempts: r.attempts,
      history: JSON.parse(r.history) as AttemptRecord[],
      deadAt: r.dead_at,
      redrivenAt: r.redriven_at,
    }));
  }

  async redrive(request: RedriveRequest): Promise<number> {
    const topics = new Set<string>();
    const count = await this.store.transaction(async (tx) => {
      let q = tx.db.selectFrom('el_dead_letters').selectAll().where('redriven_at', 'is', null);
      if (request.ids) {
        if (request.ids.length === 0) return 0;
        q = q.where('id', 'in', [...request.ids]);
      }
      if (request.group) q = q.where('group', '=', request.group);
      if (request.topic) q = q.where('topic', '=', request.topic);
      const letters = await q.execute();
      const now = this.clock.now();
      for (const l of letters) {
        await tx.db
          .insertInto('el_parked')
          .values({
            group: l.group,
            topic: l.topic,
            partition: l.partition,
            offset: l.offset,
            key: l.key,
            event_id: l.event_id,
            attempts: 0,
            next_attempt_at: 0,
            last_error: null,
            history: '[]',
          })
          .onConflict((oc) => oc.columns(['group', 'topic', 'partition', 'offset']).doNothing())
          .execute();
        await tx.db.updateTable('el_dead_letters').set({ redriven_at: now }).where('id', '=', l.id).execute();
        topics.add(l.topic);
      }
      return letters.length;
    });
    for (const t of topics) this.wakeTopic(t);
    return count;
  }

  async stats(): Promise<EventLogStats> {
    const db = this.store.db;
    const topics = await db
      .selectFrom('el_topics')
      .leftJoin('el_partitions', 'el_partitions.topic', 'el_topics.name')
      .select([
        'el_topics.name',
        'el_topics.partitions',
        (eb) => eb.fn.coalesce(eb.fn.sum<number>('el_partitions.next_offset'), sql<number>`0`).as('events'),
      ])
      .groupBy(['el_topics.name', 'el_topics.partitions'])
      .orderBy('el_topics.name')
      .execute();
    const lag = await db
      .selectFrom('el_offsets')
      .innerJoin('el_partitions', (join) =>
        join.onRef('el_partitions.topic', '=', 'el_offsets.topic').onRef('el_partitions.partition', '=', 'el_offsets.partition'),
      )
      .select([
        'el_offsets.group',
        'el_offsets.topic',
        (eb) => eb.fn.sum<number>(sql`${sql.ref('el_partitions.next_offset')} - ${sql.ref('el_offsets.next_offset')}`).as('lag'),
      ])
      .groupBy(['el_offsets.group', 'el_offsets.topic'])
      .execute();
    const parked = await db
      .selectFrom('el_parked')
      .select(['group', 'topic', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['group', 'topic'])
      .execute();
    const dead = await db
      .selectFrom('el_dead_letters')
      .select(['group', 'topic', (eb) => eb.fn.countAll<number>().as('n')])
      .where('redriven_at', 'is', null)
      .groupBy(['group', 'topic'])
      .execute();
    const groups = new Map<string, { group: string; topic: string; lag: number; parked: number; deadLetters: number }>();
    const entry = (group: string, topic: string) => {
      const k = `${group}\u0000${topic}`;
      let g = groups.get(k);
      if (!g) {
        g = { group, topic, lag: 0, parked: 0, deadLetters: 0 };
        groups.set(k, g);
      }
      return g;
    };
    for (const r of lag) entry(r.group, r.topic).lag = Number(r.lag);
    for (const r of parked) entry(r.group, r.topic).parked = Number(r.n);
    for (const r of dead) entry(r.group, r.topic).deadLetters = Number(r.n);
    for (const s of this.subscriptions) entry(s.group, s.topic);
    return {
      topics: topics.map((t) => ({ name: t.name, partitions: t.partitions, events: Number(t.events) })),
      groups: [...groups.values()].sort((a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic)),
    };
  }

  async drain(options: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!(await this.hasPendingWork()) && !this.runners.some((r) => r.busy)) return;
      if (Date.now() > deadline) {
        throw EventLogErrors.drainTimeout(`event log still busy after ${timeoutMs} ms`, { stats: await this.stats() });
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private async hasPendingWork(): Promise<boolean> {
    for (const s of this.subscriptions) {
      const rows = await this.store.db
        .selectFrom('el_partitions as p')
        .leftJoin('el_offsets as o', (join) =>
          join.onRef('o.topic', '=', 'p.topic').onRef('o.partition', '=', 'p.partition').on('o.group', '=', s.group),
        )
        .select(['p.next_offset as head', 'o.next_offset as read'])
        .where('p.topic', '=', s.topic)
        .execute();
      // A partition the group has not opened yet is pending if it holds events (unless it starts at the end).
      if (rows.some((r) => (r.read === null ? s.startAt !== 'latest' && r.head > 0 : r.head > r.read))) return true;
      const parked = await this.store.db
        .selectFrom('el_parked')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('group', '=', s.group)
        .where('topic', '=', s.topic)
        .executeTakeFirstOrThrow();
      if (Number(parked.n) > 0) return true;
    }
    return false;
  }
}
