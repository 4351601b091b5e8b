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
import type { Store, Tx } from '../store/index.js';
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

type EventRow = { offset: number; id: string; type: string; key: string; envelope: string };

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
  claimInbox: 'INSERT INTO el_inbox ("group", event_id, processed_at) VALUES (?, ?, ?) ON CONFLICT ("group", event_id) DO NOTHING',
} as const;

/** Thrown inside a batch transaction to roll it back when one handler fails; carries the failure. */
class BatchFailed extends Error {
  constructor(
    readonly offset: number,
    readonly failure: unknown,
  ) {
    super(`handler failed at offset ${offset}`);
  }
}

interface Worker {
  subscription: Subscription;
  retry: RetryPolicy;
  partition: number;
  running: Promise<void> | undefined;
  /** Resolves the worker's idle wait early (new events, redrive, stop). */
  wake: (() => void) | undefined;
  busy: boolean;
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
  private readonly workers: Worker[] = [];
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

  async publish(topic: string, events: readonly Envelope[], options: { tx?: Tx } = {}): Promise<PublishResult[]> {
    if (events.length === 0) return [];
    // Validate everything before writing anything: a bad event refuses the whole batch.
    const valid = events.map((event, index) => {
      try {
        return this.catalog.validate(event);
      } catch (err) {
        if (events.length > 1 && err instanceof CrossdockError) {
          throw new CrossdockError(err.code, err.errorClass, `events[${index}]: ${err.message}`, { ...err.details, index }, { cause: err });
        }
        throw err;
      }
    });
    const info = await this.ensureTopic(topic, undefined, options.tx);
    return this.store.transaction(async (tx) => {
      const results = await this.append(tx, info, valid);
      tx.afterCommit(() => this.wakeTopic(topic));
      return results;
    }, options.tx);
  }

  /**
   * Appends in the caller's transaction. Offsets are read with a row lock on the partition
   * (`UPDATE … RETURNING`), assigned only to events actually inserted (so a duplicate id leaves no
   * gap), and written back once per partition.
   */
  private async append(tx: Tx, info: TopicInfo, events: Envelope[]): Promise<PublishResult[]> {
    const topic = info.name;
    const now = this.clock.now();
    const next = new Map<number, number>();
    const byId = new Map<string, PublishResult>();
    const results: PublishResult[] = [];
    for (const event of events) {
      const earlier = byId.get(event.id);
      if (earlier) {
        results.push({ ...earlier, created: false });
        continue;
      }
      const partition = partitionFor(event.partitionkey, info.partitions);
      let offset = next.get(partition);
      if (offset === undefined) {
        const [row] = await tx.all<{ next_offset: number }>(SQL.lockPartition, [topic, partition]);
        if (!row) throw EventLogErrors.unknownTopic(`topic ${topic} has no partition ${partition}`);
        offset = Number(row.next_offset);
      }
      const inserted = await tx.run(SQL.insertEvent, [
        topic,
        partition,
        offset,
        event.id,
        event.type,
        event.partitionkey,
        event.correlationid,
        now,
        JSON.stringify(event),
      ]);
      let result: PublishResult;
      if (inserted === 1) {
        result = { id: event.id, topic, partition, offset, created: true };
        next.set(partition, offset + 1);
      } else {
        next.set(partition, offset);
        const [old] = await tx.all<{ partition: number; offset: number }>(SQL.findEvent, [topic, event.id]);
        result = { id: event.id, topic, partition: Number(old?.partition ?? -1), offset: Number(old?.offset ?? -1), created: false };
      }
      byId.set(event.id, result);
      results.push(result);
    }
    for (const [partition, offset] of next) await tx.run(SQL.setPartitionHead, [offset, topic, partition]);
    return results;
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
    for (let partition = 0; partition < info.partitions; partition++) {
      const worker: Worker = { subscription, retry, partition, running: undefined, wake: undefined, busy: false };
      this.workers.push(worker);
      worker.running = this.runWorker(worker);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const w of this.workers) w.wake?.();
    await Promise.all(this.workers.map((w) => w.running));
    this.workers.length = 0;
    this.started = false;
  }

  private wakeTopic(topic: string): void {
    for (const w of this.workers) if (w.subscription.topic === topic) w.wake?.();
  }

  private async runWorker(worker: Worker): Promise<void> {
    const log = this.logger.child({ group: worker.subscription.group, topic: worker.subscription.topic, partition: worker.partition });
    let failures = 0;
    while (!this.stopping) {
      let idleMs: number;
      try {
        worker.busy = true;
        idleMs = await this.step(worker, log);
        failures = 0;
      } catch (err) {
        // The store itself failed (locked, unavailable): back off and try again; nothing was lost
        // because nothing committed.
        failures += 1;
        idleMs = backoffMs(failures, 100, 5_000);
        log.error({ err, failures }, 'consumer step failed');
      } finally {
        worker.busy = false;
      }
      if (idleMs > 0 && !this.stopping) await this.idle(worker, idleMs);
    }
  }

  private idle(worker: Worker, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        worker.wake = undefined;
        resolve();
      }
      worker.wake = done;
    });
  }

  /** One round of work. Returns how long to idle before the next (0: more work is waiting). */
  private async step(worker: Worker, log: Logger): Promise<number> {
    const { subscription, partition } = worker;
    const now = this.clock.now();
    const parked = await this.store.db
      .selectFrom('el_parked')
      .select(['offset', 'key', 'attempts', 'next_attempt_at'])
      .where('group', '=', subscription.group)
      .where('topic', '=', subscription.topic)
      .where('partition', '=', partition)
      .orderBy('offset')
      .execute();
    const heads = new Map<string, (typeof parked)[number]>();
    for (const row of parked) if (!heads.has(row.key)) heads.set(row.key, row);
    let nextDue = Number.POSITIVE_INFINITY;
    let didParked = false;
    for (const head of heads.values()) {
      if (head.next_attempt_at <= now) {
        await this.retryParked(worker, head.offset, log);
        didParked = true;
      } else {
        nextDue = Math.min(nextDue, head.next_attempt_at);
      }
    }
    const processed = await this.processBatch(worker, new Set(heads.keys()), log);
    if (processed >= this.batchSize || didParked) return 0;
    const untilDue = nextDue - this.clock.now();
    return Math.max(1, Math.min(this.pollIntervalMs, untilDue));
  }

  /** Reads the next batch and applies it in one transaction. Returns how many events it consumed. */
  private async processBatch(worker: Worker, parkedKeys: Set<string>, log: Logger): Promise<number> {
    try {
      return await this.store.transaction((tx) => this.applyBatch(tx, worker, parkedKeys, log, undefined));
    } catch (err) {
      if (!(err instanceof BatchFailed)) throw err;
      // Redo the batch up to the failed event: the events before it commit, the failed one is parked
      // (its handler is not run again; its error was kept) and the next round resumes after it.
      return this.store.transaction((tx) => this.applyBatch(tx, worker, parkedKeys, log, err));
    }
  }

  private async loadOffset(tx: Tx, worker: Worker): Promise<number> {
    const { group, topic, startAt } = worker.subscription;
    const row = await tx.db
      .selectFrom('el_offsets')
      .select('next_offset')
      .where('group', '=', group)
      .where('topic', '=', topic)
      .where('partition', '=', worker.partition)
      .executeTakeFirst();
    if (row) return row.next_offset;
    let start = 0;
    if (startAt === 'latest') {
      const head = await tx.db
        .selectFrom('el_partitions')
        .select('next_offset')
        .where('topic', '=', topic)
        .where('partition', '=', worker.partition)
        .executeTakeFirstOrThrow();
      start = head.next_offset;
    }
    await tx.db
      .insertInto('el_offsets')
      .values({ group, topic, partition: worker.partition, next_offset: start, updated_at: this.clock.now() })
      .execute();
    return start;
  }

  /**
   * Applies events from the group's offset. With `failedAt` undefined it is the fast path: the
   * whole batch in this transaction, any handler failure aborts it (BatchFailed). With `failedAt`
   * set, the handler at that offset is known to fail: events before it are applied, it is parked
   * (or dead-lettered), and the batch stops there.
   */
  private async applyBatch(tx: Tx, worker: Worker, parkedKeys: Set<string>, log: Logger, failed: BatchFailed | undefined): Promise<number> {
    const failedAt = failed?.offset;
    const { group, topic } = worker.subscription;
    const from = await this.loadOffset(tx, worker);
    const rows = await tx.all<EventRow>(SQL.readBatch, [
      topic,
      worker.partition,
      from,
      failedAt ?? Number.MAX_SAFE_INTEGER,
      this.batchSize,
    ]);
    if (rows.length === 0) return 0;

    const keys = new Set(parkedKeys);
    const fresh = await this.claimInbox(
      tx,
      group,
      rows.filter((r) => !keys.has(r.key)),
    );
    const toPark: EventRow[] = [];
    const now = this.clock.now();
    for (const row of rows) {
      if (keys.has(row.key)) {
        toPark.push(row);
        continue;
      }
      if (!fresh.has(row.id)) continue;
      const envelope = JSON.parse(row.envelope) as Envelope;
      if (worker.subscription.types && !worker.subscription.types.includes(envelope.type)) continue;
      if (failed && failedAt === row.offset) {
        // Known to fail: its inbox claim is released and it is parked as the key's head.
        await tx.db.deleteFrom('el_inbox').where('group', '=', group).where('event_id', '=', row.id).execute();
        await this.recordFailure(tx, worker, row, envelope.correlationid, failed.failure, 0, [], log);
        keys.add(row.key);
        continue;
      }
      try {
        await worker.subscription.handler(envelope, this.context(tx, worker, envelope, row.offset, 1, log));
      } catch (err) {
        if (failedAt === undefined) throw new BatchFailed(row.offset, err);
        throw err;
      }
    }
    if (toPark.length > 0) await this.parkBehind(tx, worker, toPark);
    const last = rows.at(-1)!;
    await tx.run(SQL.setGroupOffset, [Number(last.offset) + 1, now, group, topic, worker.partition]);
    return rows.length;
  }

  /** Inserts inbox rows; returns the ids this group had not processed before. */
  private async claimInbox(tx: Tx, group: string, rows: EventRow[]): Promise<Set<string>> {
    const fresh = new Set<string>();
    const now = this.clock.now();
    if (tx.dialect === 'sqlite') {
      // A cached single-row statement per event beats building one large statement per batch.
      for (const r of rows) if ((await tx.run(SQL.claimInbox, [group, r.id, now])) === 1) fresh.add(r.id);
      return fresh;
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
      for (const r of inserted) fresh.add(r.event_id);
    }
    return fresh;
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

  private context(tx: Tx, worker: Worker, envelope: Envelope, offset: number, attempt: number, log: Logger): HandlerContext {
    let logger: Logger | undefined;
    return {
      tx,
      attempt,
      partition: worker.partition,
      offset,
      // Built on first use: a child logger per event is a measurable cost on the hot path.
      get logger() {
        logger ??= withCorrelation(log, envelope.correlationid, { eventId: envelope.id, type: envelope.type });
        return logger;
      },
      publish: (topic, events) => this.publish(topic, events, { tx }),
    };
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
        const fresh = await this.claimInbox(tx, group, [event]);
        const wanted = !worker.subscription.types || worker.subscription.types.includes(envelope.type);
        if (fresh.has(event.id) && wanted) {
          try {
            await worker.subscription.handler(envelope, this.context(tx, worker, envelope, offset, parked.attempts + 1, log));
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
      if (!(await this.hasPendingWork()) && !this.workers.some((w) => w.busy)) return;
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
