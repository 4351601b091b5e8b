import {
  DiscardPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { sql } from 'kysely';
import type { Envelope, EventCatalog } from '../../../canonical/index.js';
import { type Clock, CrossdockError, Errors, errorMessage, type Logger, newId, sleep, systemClock } from '../../../kernel/index.js';
import type { Store, Tx } from '../../../store/index.js';
import { EventLogErrors } from '../../errors.js';
import type {
  AttemptRecord,
  DeadLetter,
  DeadLetterFilter,
  EventLog,
  EventLogStats,
  GroupFilter,
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
} from '../../eventlog.js';
import { partitionFor } from '../../partition.js';
import { desiredOwner, Leases } from './leases.js';
import { NatsNames } from './names.js';
import { Relay, type RelayHooks } from './relay.js';
import { type JetStreamSettings, type JetStreamSettingsInput, jetStreamSettingsSchema } from './settings.js';
import { textArray, wellFormed } from './well-formed.js';
import { PartitionWorker } from './worker.js';

export interface JetStreamEventLogOptions {
  /** A PostgreSQL store: outbox, inbox, positions, leases, parked events and dead letters live there. */
  store: Store;
  connection: NatsConnection;
  catalog: EventCatalog;
  logger: Logger;
  clock?: Clock;
  /** Unique per running process (a new one at each start); defaults to a fresh id. */
  processId?: string;
  settings?: JetStreamSettingsInput;
  hooks?: RelayHooks;
  /** Whether close() closes the connection (true when the log opened it). */
  ownsConnection?: boolean;
}

interface Active {
  subscription: Subscription;
  info: TopicInfo;
  retry: RetryPolicy;
}

const APPEND_CHUNK = 2_000;
const TOPIC_NAME = /^[a-z0-9][a-z0-9._-]{0,199}$/;

const SQL = {
  lockLease: 'SELECT epoch FROM el_leases WHERE "group" = ? AND topic = ? AND "partition" = ? FOR UPDATE',
  // Makes the current owner restart its worker (and consumer) from the rewound position.
  bumpLease: 'UPDATE el_leases SET epoch = epoch + 1 WHERE "group" = ? AND topic = ? AND "partition" = ? AND owner IS NOT NULL',
  // Per partition: is the newest relayed sequence at or past the group's position? (The max is one
  // index probe on el_relayed (topic, partition, seq), whatever the topic's size.)
  pending:
    'SELECT 1 AS one FROM generate_series(0, CAST(? AS integer) - 1) AS p(n) ' +
    'LEFT JOIN el_offsets o ON o."group" = ? AND o.topic = ? AND o."partition" = p.n ' +
    'WHERE (SELECT max(r.seq) FROM el_relayed r WHERE r.topic = ? AND r."partition" = p.n) >= ' +
    'COALESCE(o.next_offset, CASE WHEN ? = 1 THEN 0 ELSE 9007199254740991 END) LIMIT 1',
  // See appendOutbox. The events arrive as one JSON parameter (a VALUES list would bind, parse and
  // plan seven parameters per event) and are inserted in their order (n), which is the outbox order
  // the relay keeps per partition. The ids to look up in el_relayed come as an array parameter,
  // a constant when the statement is planned: an index probe each, or at worst (statistics from
  // when the table was small) one hashed pass over the topic's rows, never one pass per event.
  append:
    'WITH incoming AS MATERIALIZED (' +
    'SELECT r.p, r.id, r.k, r.c, r.e, r.n FROM ROWS FROM (json_to_recordset(CAST(? AS json)) ' +
    'AS (p integer, id text, k text, c text, e text)) WITH ORDINALITY AS r(p, id, k, c, e, n)' +
    '), relayed AS MATERIALIZED (' +
    'SELECT x.id, x."partition", x.seq FROM el_relayed x WHERE x.topic = ? AND x.id = ANY (CAST(? AS text[]))' +
    '), inserted AS (' +
    'INSERT INTO el_outbox (topic, "partition", id, key, correlationid, created_at, envelope) ' +
    'SELECT ?, i.p, i.id, i.k, i.c, ?, i.e FROM incoming i WHERE NOT EXISTS (SELECT 1 FROM relayed r WHERE r.id = i.id) ORDER BY i.n ' +
    'ON CONFLICT (topic, id) DO NOTHING RETURNING id' +
    ') ' +
    'SELECT \'r\' AS kind, id, "partition", seq FROM relayed ' +
    "UNION ALL SELECT 'i', id, NULL, NULL FROM inserted",
} as const;

/**
 * The cluster event log: events in NATS JetStream (one stream per topic, one subject per
 * partition), consumer state in PostgreSQL. See docs/deploy.md.
 *
 * - publish writes the outbox in the caller's transaction; a relay in every process moves it to
 *   JetStream with `Nats-Msg-Id` = event id. A publish in a transaction returns `offset: -1` (the
 *   stream sequence is assigned after commit); a publish without one relays before it returns and
 *   returns the stream sequence. Offsets are stream sequences: increasing per partition, not dense.
 * - one worker per (group, partition) across processes, by leases in PostgreSQL; each batch commits
 *   the handlers' effects, the inbox rows and the position together, then acks.
 * - parking, retries, dead letters, redrive and replay behave as in the SQL log.
 */
export class JetStreamEventLog implements EventLog {
  readonly processId: string;
  private readonly store: Store;
  private readonly nc: NatsConnection;
  private readonly js: JetStreamClient;
  private jsmPromise: Promise<JetStreamManager> | undefined;
  private readonly catalog: EventCatalog;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly settings: JetStreamSettings;
  private readonly names: NatsNames;
  private readonly leases: Leases;
  private readonly relay: Relay;
  private readonly ownsConnection: boolean;
  private readonly topics = new Map<string, TopicInfo>();
  private readonly streams = new Map<string, Promise<void>>();
  private readonly subscriptions: Subscription[] = [];
  private readonly active: Active[] = [];
  private readonly workers = new Map<string, PartitionWorker>();
  private started = false;
  private closed = false;
  private loops: { abort: AbortController; heartbeat: Promise<void>; rebalance: Promise<void> } | undefined;
  private rebalanceNow: (() => void) | undefined;
  /** When the rebalance round last heartbeated each subscription (`group\0topic`), by the host clock. */
  private readonly beaten = new Map<string, number>();

  constructor(options: JetStreamEventLogOptions) {
    if (options.store.dialect !== 'postgres') {
      throw Errors.config('the NATS JetStream event log needs a PostgreSQL store (CROSSDOCK_STORE=postgres://…)', { path: 'store' });
    }
    this.store = options.store;
    this.nc = options.connection;
    this.js = jetstream(this.nc);
    this.catalog = options.catalog;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.processId = options.processId ?? `${process.pid}-${newId()}`;
    this.settings = jetStreamSettingsSchema.parse(options.settings ?? {});
    this.names = new NatsNames(this.settings.streamPrefix, this.settings.subjectPrefix);
    this.leases = new Leases(this.store, this.processId, this.clock, this.settings.leaseTtlMs);
    this.ownsConnection = options.ownsConnection ?? false;
    this.relay = new Relay({
      store: this.store,
      nc: this.nc,
      names: this.names,
      logger: this.logger.child({ component: 'relay' }),
      clock: this.clock,
      settings: this.settings,
      ensureStream: (topic) => this.ensureStream(topic),
      ...(options.hooks ? { hooks: options.hooks } : {}),
    });
  }

  private jsm(): Promise<JetStreamManager> {
    this.jsmPromise ??= jetstreamManager(this.nc, { checkAPI: false });
    return this.jsmPromise;
  }

  // ---- topics -------------------------------------------------------------------------------

  async ensureTopic(topic: string, partitions?: number, outer?: Tx): Promise<TopicInfo> {
    const cached = this.topics.get(topic);
    if (cached) return cached;
    if (!TOPIC_NAME.test(topic)) {
      throw EventLogErrors.badRequest(`topic name "${topic}" must be lower-case letters, digits, '.', '_' or '-'`, { path: 'topic' });
    }
    const wanted = partitions ?? this.settings.topicPartitions[topic] ?? this.settings.defaultPartitions;
    const info = await this.store.transaction(async (tx) => {
      await tx.db
        .insertInto('el_topics')
        .values({ name: topic, partitions: wanted, created_at: this.clock.now() })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const row = await tx.db.selectFrom('el_topics').select(['name', 'partitions']).where('name', '=', topic).executeTakeFirstOrThrow();
      const info = { name: row.name, partitions: row.partitions };
      tx.afterCommit(() => this.topics.set(topic, info));
      return info;
    }, outer);
    if (info.partitions !== wanted) {
      this.logger.warn({ topic, existing: info.partitions, configured: wanted }, 'topic keeps its original partition count');
    }
    return info;
  }

  /** Creates the topic's stream once (file storage, dedupe window, replicas from settings). */
  private ensureStream(topic: string): Promise<void> {
    let pending = this.streams.get(topic);
    if (!pending) {
      pending = this.createStream(topic);
      this.streams.set(topic, pending);
      pending.catch(() => this.streams.delete(topic));
    }
    return pending;
  }

  private async createStream(topic: string): Promise<void> {
    const jsm = await this.jsm();
    const name = this.names.stream(topic);
    try {
      await jsm.streams.info(name);
      return;
    } catch (err) {
      if (!isNotFound(err)) throw this.busError(err, `stream ${name}`);
    }
    try {
      await jsm.streams.add({
        name,
        subjects: [this.names.subjects(topic)],
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old,
        duplicate_window: this.settings.duplicateWindowMs * 1_000_000,
        max_age: this.settings.maxAgeMs * 1_000_000,
        num_replicas: this.settings.replicas,
        allow_direct: true,
      });
      this.logger.info({ topic, stream: name }, 'stream created');
    } catch (err) {
      // Another process created it first.
      if (!/already in use/i.test(errorMessage(err))) throw this.busError(err, `stream ${name}`);
    }
  }

  private busError(err: unknown, what: string): CrossdockError {
    if (err instanceof CrossdockError) return err;
    return new CrossdockError('CD_ERR_BUS_UNAVAILABLE', 'retryable', `${what}: ${errorMessage(err)}`, {}, { cause: err });
  }

  // ---- publish ------------------------------------------------------------------------------

  async publish(topic: string, events: readonly Envelope[], options: PublishOptions = {}): Promise<PublishResult[]> {
    if (events.length === 0) return [];
    const valid = events.map((event, index) => {
      try {
        return this.catalog.validate(event, { dataParsed: options.dataParsed === true });
      } catch (err) {
        if (events.length > 1 && err instanceof CrossdockError) {
          throw new CrossdockError(err.code, err.errorClass, `events[${index}]: ${err.message}`, { ...err.details, index }, { cause: err });
        }
        throw err;
      }
    });
    const info = await this.ensureTopic(topic, undefined, options.tx);
    // Publishing processes relay too (a process that never consumes still empties its outbox).
    if (!this.closed) this.relay.start();
    const results = await this.store.transaction(async (tx) => {
      const out = await this.appendOutbox(tx, info, valid);
      tx.afterCommit(() => this.relay.kick(topic));
      return out;
    }, options.tx);
    if (options.tx) return results;
    // Committed on its own: relay now so that the caller learns the stream sequences.
    try {
      await this.relay.flush(topic);
      await this.fillOffsets(topic, results);
    } catch (err) {
      this.logger.warn({ topic, err: errorMessage(err) }, 'published to the outbox; relay to JetStream deferred');
    }
    return results;
  }

  /**
   * Writes the events to the outbox. An id already relayed or already waiting in the outbox is not
   * written again (`created: false`, with the first copy's partition and, once relayed, offset).
   * One statement per chunk looks up el_relayed and inserts the rest: a publish in its own
   * transaction costs three round trips to PostgreSQL instead of four.
   */
  private async appendOutbox(tx: Tx, info: TopicInfo, events: Envelope[]): Promise<PublishResult[]> {
    const topic = info.name;
    const now = this.clock.now();
    // By id as PostgreSQL stores it (see wellFormed): two ids it stores alike are one event.
    const unique = new Map<string, Envelope>();
    for (const e of events) {
      const id = wellFormed(e.id);
      if (!unique.has(id)) unique.set(id, e);
    }
    const all = [...unique.values()];
    const known = new Map<string, { partition: number; offset: number }>();
    const inserted = new Set<string>();
    const waiting: string[] = [];
    for (let i = 0; i < all.length; i += APPEND_CHUNK) {
      const chunk = all.slice(i, i + APPEND_CHUNK);
      const rows = chunk.map((e) => ({
        p: partitionFor(e.partitionkey, info.partitions),
        id: wellFormed(e.id),
        k: wellFormed(e.partitionkey),
        c: wellFormed(e.correlationid),
        e: JSON.stringify(e),
      }));
      const result = await tx.all<{ kind: 'r' | 'i'; id: string; partition: number | null; seq: number | null }>(SQL.append, [
        JSON.stringify(rows),
        topic,
        textArray(rows.map((r) => r.id)),
        topic,
        now,
      ]);
      const answered = new Set<string>();
      for (const r of result) {
        answered.add(r.id);
        if (r.kind === 'i') inserted.add(r.id);
        else known.set(r.id, { partition: Number(r.partition), offset: Number(r.seq) });
      }
      for (const row of rows) if (!answered.has(row.id)) waiting.push(row.id);
    }
    if (waiting.length > 0) {
      // Neither relayed nor inserted: a copy waits in the outbox (normally never the case).
      const rows = await tx.db
        .selectFrom('el_outbox')
        .select(['id', 'partition'])
        .where('topic', '=', topic)
        .where('id', 'in', waiting)
        .execute();
      for (const r of rows) known.set(r.id, { partition: r.partition, offset: -1 });
    }
    const seen = new Set<string>();
    return events.map((e) => {
      const stored = wellFormed(e.id);
      const first = !seen.has(stored);
      seen.add(stored);
      const created = first && inserted.has(stored);
      const before = created ? undefined : known.get(stored);
      return {
        id: e.id,
        topic,
        partition: before?.partition ?? partitionFor(e.partitionkey, info.partitions),
        offset: before?.offset ?? -1,
        created,
      };
    });
  }

  /** Replaces `offset: -1` with the stream sequence once relayed (by this or another process). */
  private async fillOffsets(topic: string, results: PublishResult[]): Promise<void> {
    const deadline = Date.now() + this.settings.publishTimeoutMs;
    for (;;) {
      // Ids as PostgreSQL stores (and returns) them.
      const missing = [...new Set(results.filter((r) => r.offset < 0).map((r) => wellFormed(r.id)))];
      if (missing.length === 0) return;
      const rows = await this.store.db
        .selectFrom('el_relayed')
        .select(['id', 'seq'])
        .where('topic', '=', topic)
        .where('id', 'in', missing)
        .execute();
      const seqs = new Map(rows.map((r) => [r.id, Number(r.seq)]));
      for (const r of results) {
        const seq = seqs.get(wellFormed(r.id));
        if (r.offset < 0 && seq !== undefined) r.offset = seq;
      }
      if (rows.length === missing.length || Date.now() > deadline) return;
      await sleep(20);
    }
  }

  // ---- consuming ----------------------------------------------------------------------------

  subscribe(subscription: Subscription): void {
    if (this.subscriptions.some((s) => s.group === subscription.group && s.topic === subscription.topic)) {
      throw EventLogErrors.badRequest(`group ${subscription.group} is already subscribed to ${subscription.topic}`);
    }
    this.subscriptions.push(subscription);
    if (this.started) {
      this.activate(subscription)
        .then(() => this.rebalanceNow?.())
        .catch((err) => this.logger.error({ err: errorMessage(err), group: subscription.group }, 'subscription failed to start'));
    }
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.relay.start();
    for (const s of this.subscriptions) await this.activate(s);
    const abort = new AbortController();
    const firstRound = this.rebalanceAll();
    this.loops = {
      abort,
      heartbeat: this.heartbeatLoop(abort.signal),
      rebalance: firstRound.then(() => this.rebalanceLoop(abort.signal)),
    };
    await firstRound;
  }

  private async activate(subscription: Subscription): Promise<void> {
    const { group, topic } = subscription;
    const info = await this.ensureTopic(topic);
    await this.ensureStream(topic);
    await this.leases.join(group, topic, info.partitions);
    if (subscription.startAt === 'latest') {
      // Fixed now, for every partition: events published after subscribing are delivered, whoever owns them.
      const jsm = await this.jsm();
      const head = (await jsm.streams.info(this.names.stream(topic))).state.last_seq + 1;
      await this.store.db
        .insertInto('el_offsets')
        .values(
          Array.from({ length: info.partitions }, (_, partition) => ({
            group,
            topic,
            partition,
            next_offset: head,
            updated_at: this.clock.now(),
          })),
        )
        .onConflict((oc) => oc.columns(['group', 'topic', 'partition']).doNothing())
        .execute();
    }
    const retry = { ...this.settings.retry, ...subscription.retry };
    this.active.push({ subscription, info, retry });
  }

  private async heartbeatLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(this.settings.heartbeatMs, signal);
      if (signal.aborted) break;
      for (const a of [...this.active]) {
        // The rebalance round heartbeats too; this loop covers the rounds that are late (a worker
        // still finishing its batch, a slow store), so it skips a subscription beaten within the
        // last period: a heartbeat is never older than two periods while either loop runs.
        const beaten = this.beaten.get(`${a.subscription.group}\u0000${a.subscription.topic}`) ?? 0;
        if (Date.now() - beaten < this.settings.heartbeatMs) continue;
        await this.leases
          .heartbeat(a.subscription.group, a.subscription.topic)
          .catch((err) => this.logger.warn({ err: errorMessage(err) }, 'heartbeat failed'));
      }
    }
  }

  private async rebalanceLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.settings.heartbeatMs);
        const onAbort = () => done();
        signal.addEventListener('abort', onAbort, { once: true });
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve();
        }
        this.rebalanceNow = done;
      });
      this.rebalanceNow = undefined;
      if (signal.aborted) break;
      await this.rebalanceAll();
    }
  }

  private async rebalanceAll(): Promise<void> {
    for (const a of [...this.active]) {
      try {
        await this.rebalance(a);
      } catch (err) {
        this.logger.warn({ err: errorMessage(err), group: a.subscription.group, topic: a.subscription.topic }, 'rebalance failed');
      }
    }
  }

  /**
   * Keeps this process's share: partitions are dealt round-robin over the live members; a member
   * releases what is no longer its share (after its batch in flight) and claims its share when the
   * lease is free or its holder's heartbeat has expired.
   */
  private async rebalance(a: Active): Promise<void> {
    const { group, topic } = a.subscription;
    const { live, leases: rows } = await this.leases.round(group, topic);
    this.beaten.set(`${group}\u0000${topic}`, Date.now());
    for (const row of rows) {
      if (!this.started) return;
      const key = workerKey(group, topic, row.partition);
      let worker = this.workers.get(key);
      if (worker && (worker.finished || row.owner !== this.processId || row.epoch !== worker.epoch)) {
        await worker.stop();
        this.workers.delete(key);
        worker = undefined;
      }
      const mine = desiredOwner(live, group, topic, row.partition) === this.processId;
      if (worker && !mine) {
        await worker.stop({ deleteConsumer: true });
        this.workers.delete(key);
        await this.leases.release(group, topic, row.partition, worker.epoch);
        continue;
      }
      if (worker || !mine) continue;
      if (row.owner !== null && row.owner !== this.processId && live.includes(row.owner)) continue;
      const epoch = await this.leases.claim(group, topic, row.partition);
      if (epoch === undefined) continue;
      const fresh = new PartitionWorker(
        {
          store: this.store,
          js: this.js,
          jsm: await this.jsm(),
          names: this.names,
          leases: this.leases,
          logger: this.logger,
          clock: this.clock,
          settings: this.settings,
          publish: (t, events, tx) => this.publish(t, events, { tx }),
        },
        a.subscription,
        a.retry,
        row.partition,
        epoch,
      );
      this.workers.set(key, fresh);
      fresh.start();
    }
  }

  /** Partitions this process consumes now, as `group/topic/partition` (for tools and tests). */
  ownedPartitions(): Array<{ group: string; topic: string; partition: number; epoch: number }> {
    return [...this.workers.values()]
      .filter((w) => !w.finished)
      .map((w) => ({ group: w.subscription.group, topic: w.subscription.topic, partition: w.partition, epoch: w.epoch }));
  }

  async stop(): Promise<void> {
    const loops = this.loops;
    this.loops = undefined;
    this.started = false;
    if (loops) {
      loops.abort.abort();
      await Promise.all([loops.heartbeat, loops.rebalance]);
    }
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(workers.map((w) => w.stop({ deleteConsumer: true })));
    for (const a of this.active.splice(0)) {
      await this.leases
        .leave(a.subscription.group, a.subscription.topic)
        .catch((err) => this.logger.warn({ err: errorMessage(err) }, 'could not leave the group; its leases expire instead'));
    }
    await this.relay.stop();
  }

  /** Stops, then closes the NATS connection if this log opened it. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stop();
    if (this.ownsConnection) await this.nc.close().catch(() => {});
  }

  private wakeTopic(topic: string): void {
    for (const w of this.workers.values()) if (w.subscription.topic === topic) w.wake();
  }

  // ---- reading and operations ---------------------------------------------------------------

  async read(topic: string, query: ReadQuery): Promise<StoredEvent[]> {
    // Read-your-writes for events committed in a transaction and not yet relayed.
    await this.relay.flush(topic).catch((err) => this.logger.warn({ topic, err: errorMessage(err) }, 'relay before read failed'));
    let q = this.store.db
      .selectFrom('el_relayed')
      .select(['partition', 'seq', 'published_at'])
      .where('topic', '=', topic)
      .orderBy('published_at', query.newest ? 'desc' : 'asc')
      .orderBy('partition')
      .orderBy('seq', query.newest ? 'desc' : 'asc')
      .limit(Math.min(query.limit ?? 100, 10_000));
    if (query.partition !== undefined) q = q.where('partition', '=', query.partition);
    if (query.fromOffset !== undefined) q = q.where('seq', '>=', query.fromOffset);
    if (query.fromTime !== undefined) q = q.where('published_at', '>=', query.fromTime);
    if (query.key !== undefined) q = q.where('key', '=', query.key);
    if (query.correlationid !== undefined) q = q.where('correlationid', '=', query.correlationid);
    const rows = await q.execute();
    if (query.newest) rows.reverse();
    if (rows.length === 0) return [];
    const jsm = await this.jsm();
    const stream = this.names.stream(topic);
    const out: StoredEvent[] = [];
    for (let i = 0; i < rows.length; i += 256) {
      const chunk = rows.slice(i, i + 256);
      const messages = await Promise.all(chunk.map((r) => jsm.streams.getMessage(stream, { seq: Number(r.seq) }).catch(() => null)));
      chunk.forEach((r, j) => {
        const m = messages[j];
        // Gone from the stream (retention) but still indexed: skipped, as the SQL log skips deleted rows.
        if (!m) return;
        out.push({
          topic,
          partition: r.partition,
          offset: Number(r.seq),
          publishedAt: Number(r.published_at),
          // Published by the relay from a validated envelope: the parsing edge.
          envelope: JSON.parse(m.string()) as Envelope,
        });
      });
    }
    return out;
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
        // Waits for the owner's batch in flight; the epoch bump below then fences it.
        await tx.all(SQL.lockLease, [group, topic, partition]);
        const current = await tx.db
          .selectFrom('el_offsets')
          .select('next_offset')
          .where('group', '=', group)
          .where('topic', '=', topic)
          .where('partition', '=', partition)
          .executeTakeFirst();
        const to = Number(current?.next_offset ?? 0);
        let from = request.fromOffset ?? to;
        if (request.fromTime !== undefined) {
          const first = await tx.db
            .selectFrom('el_relayed')
            .select('seq')
            .where('topic', '=', topic)
            .where('partition', '=', partition)
            .where('published_at', '>=', request.fromTime)
            .orderBy('seq')
            .limit(1)
            .executeTakeFirst();
          from = first ? Number(first.seq) : to;
        }
        if (from >= to) continue;
        const range = tx.db
          .selectFrom('el_relayed')
          .where('topic', '=', topic)
          .where('partition', '=', partition)
          .where('seq', '>=', from)
          .where('seq', '<', to);
        const counted = await range.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        await tx.db.deleteFrom('el_inbox').where('group', '=', group).where('event_id', 'in', range.select('id')).execute();
        await tx.db
          .updateTable('el_offsets')
          .set({ next_offset: from, updated_at: this.clock.now() })
          .where('group', '=', group)
          .where('topic', '=', topic)
          .where('partition', '=', partition)
          .execute();
        await tx.run(SQL.bumpLease, [group, topic, partition]);
        out.partitions.push({ partition, from, to });
        out.events += Number(counted.n);
      }
      return out;
    });
    this.rebalanceNow?.();
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
      offset: Number(r.offset),
      key: r.key,
      eventId: r.event_id,
      attempts: r.attempts,
      nextAttemptAt: Number(r.next_attempt_at),
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
      offset: Number(r.offset),
      key: r.key,
      eventId: r.event_id,
      type: r.type,
      // Stored by the worker from a delivered envelope: the parsing edge.
      envelope: JSON.parse(r.envelope) as Envelope,
      errorCode: r.error_code,
      errorClass: r.error_class === 'permanent' || r.error_class === 'business' ? r.error_class : 'retryable',
      errorMessage: r.error_message,
      attempts: r.attempts,
      history: JSON.parse(r.history) as AttemptRecord[],
      deadAt: Number(r.dead_at),
      redrivenAt: r.redriven_at === null ? null : Number(r.redriven_at),
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
    const topicRows = await db.selectFrom('el_topics').select(['name', 'partitions']).orderBy('name').execute();
    const outbox = await db
      .selectFrom('el_outbox')
      .select(['topic', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('topic')
      .execute();
    const waiting = new Map(outbox.map((r) => [r.topic, Number(r.n)]));
    const jsm = await this.jsm();
    const topics = await Promise.all(
      topicRows.map(async (t) => {
        const inStream = await jsm.streams
          .info(this.names.stream(t.name))
          .then((i) => i.state.messages)
          .catch(() => 0);
        return { name: t.name, partitions: t.partitions, events: inStream + (waiting.get(t.name) ?? 0) };
      }),
    );
    // Lag from the committed positions (what the effects reflect), not from consumer acks, which
    // trail the commits and exist only while some process consumes.
    const lag = await db
      .selectFrom('el_offsets as o')
      .innerJoin('el_relayed as r', (join) =>
        join
          .onRef('r.topic', '=', 'o.topic')
          .onRef('r.partition', '=', 'o.partition')
          .on((eb) => eb(eb.ref('r.seq'), '>=', eb.ref('o.next_offset'))),
      )
      .select(['o.group', 'o.topic', (eb) => eb.fn.countAll<number>().as('lag')])
      .groupBy(['o.group', 'o.topic'])
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
      topics,
      groups: [...groups.values()].sort((a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic)),
    };
  }

  async drain(options: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!(await this.hasPendingWork()) && ![...this.workers.values()].some((w) => w.busy)) return;
      if (Date.now() > deadline) {
        throw EventLogErrors.drainTimeout(`event log still busy after ${timeoutMs} ms`, { stats: await this.stats() });
      }
      await sleep(10);
    }
  }

  private async hasPendingWork(): Promise<boolean> {
    for (const s of this.subscriptions) {
      const outbox = await this.store.db.selectFrom('el_outbox').select('seq').where('topic', '=', s.topic).limit(1).execute();
      if (outbox.length > 0) return true;
      const info = await this.ensureTopic(s.topic);
      const unread = await this.store.transaction((tx) =>
        tx.all(SQL.pending, [info.partitions, s.group, s.topic, s.topic, s.startAt === 'latest' ? 0 : 1]),
      );
      if (unread.length > 0) return true;
      const parked = await this.store.db
        .selectFrom('el_parked')
        .select(sql<number>`1`.as('one'))
        .where('group', '=', s.group)
        .where('topic', '=', s.topic)
        .limit(1)
        .execute();
      if (parked.length > 0) return true;
    }
    return false;
  }
}

function workerKey(group: string, topic: string, partition: number): string {
  return `${group}\u0000${topic}\u0000${partition}`;
}

function isNotFound(err: unknown): boolean {
  return err instanceof Error && /not found/i.test(err.message);
}
