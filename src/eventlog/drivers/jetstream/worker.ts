import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  ReplayPolicy,
} from '@nats-io/jetstream';
import { CompiledQuery } from 'kysely';
import type { Envelope } from '../../../canonical/index.js';
import {
  backoffMs,
  type Clock,
  CrossdockError,
  classify,
  errorCode,
  errorMessage,
  type Logger,
  withCorrelation,
} from '../../../kernel/index.js';
import type { Store, Tx } from '../../../store/index.js';
import { EventLogErrors } from '../../errors.js';
import type { AttemptRecord, HandlerContext, PublishResult, RetryPolicy, Subscription } from '../../eventlog.js';
import { JetStreamErrors } from './errors.js';
import type { Leases } from './leases.js';
import type { NatsNames } from './names.js';
import type { JetStreamSettings } from './settings.js';
import { wellFormed } from './well-formed.js';

export interface WorkerDeps {
  store: Store;
  js: JetStreamClient;
  jsm: JetStreamManager;
  names: NatsNames;
  leases: Leases;
  logger: Logger;
  clock: Clock;
  settings: JetStreamSettings;
  publish(topic: string, events: readonly Envelope[], tx: Tx): Promise<PublishResult[]>;
}

/** What a failure record needs of an event; `offset` is the JetStream stream sequence. */
interface EventRef {
  offset: number;
  id: string;
  type: string;
  key: string;
  envelope: string;
  correlationid: string | undefined;
}

/** An event as the worker handles it. */
interface Row extends EventRef {
  event: Envelope;
}

class BatchFailed extends Error {
  constructor(
    readonly offset: number,
    readonly failure: unknown,
  ) {
    super(`handler failed at offset ${offset}`);
  }
}

const SQL = {
  claimInboxPrefix: 'INSERT INTO el_inbox ("group", event_id, processed_at) VALUES ',
  claimInboxSuffix: ' ON CONFLICT ("group", event_id) DO NOTHING RETURNING event_id',
  // Outside a transaction, hence PostgreSQL's own placeholders.
  parkedHeads:
    'SELECT DISTINCT ON (key) key, "offset", next_attempt_at FROM el_parked ' +
    'WHERE "group" = $1 AND topic = $2 AND "partition" = $3 ORDER BY key, "offset"',
  // The opening statement of a batch, one round trip for what were four: the lease check (fencing,
  // FOR SHARE as in Leases.check), the partition's parked heads, the inbox claim of the batch's
  // events whose key has no parked event (those are parked behind it instead), and the position
  // past the batch. The position is written first but commits, or rolls back, with the handlers'
  // effects like everything else in the transaction; it waits for the lease's lock (EXISTS), so
  // locks are taken in the same order as replay takes them. Rows: 'l' when the lease holds, 'p' per
  // parked head, 'c' per event id this group had not processed before.
  openBatch:
    'WITH lease AS MATERIALIZED (' +
    'SELECT epoch FROM el_leases WHERE "group" = ? AND topic = ? AND "partition" = ? AND owner = ? AND epoch = ? FOR SHARE' +
    '), moved AS (' +
    'UPDATE el_offsets SET next_offset = ?, updated_at = ? WHERE "group" = ? AND topic = ? AND "partition" = ? ' +
    'AND EXISTS (SELECT 1 FROM lease) RETURNING next_offset' +
    '), heads AS MATERIALIZED (' +
    'SELECT DISTINCT ON (key) key, "offset", next_attempt_at FROM el_parked ' +
    'WHERE "group" = ? AND topic = ? AND "partition" = ? ORDER BY key, "offset"' +
    '), claimed AS (' +
    'INSERT INTO el_inbox ("group", event_id, processed_at) ' +
    'SELECT ?, b.id, ? FROM json_to_recordset(CAST(? AS json)) AS b(id text, k text) ' +
    'WHERE NOT EXISTS (SELECT 1 FROM heads h WHERE h.key = b.k) ' +
    'ON CONFLICT ("group", event_id) DO NOTHING RETURNING event_id' +
    ') ' +
    'SELECT \'l\' AS kind, CAST(NULL AS text) AS id, CAST(NULL AS text) AS key, CAST(NULL AS bigint) AS "offset", CAST(NULL AS bigint) AS due FROM lease ' +
    'UNION ALL SELECT \'p\', NULL, key, "offset", next_attempt_at FROM heads ' +
    "UNION ALL SELECT 'c', event_id, NULL, NULL, NULL FROM claimed " +
    "UNION ALL SELECT 'o', NULL, NULL, next_offset, NULL FROM moved",
} as const;

/** The oldest parked event of a key: it blocks the key's later events until it succeeds or dies. */
interface ParkedHead {
  key: string;
  offset: number;
  due: number;
}

interface OpenBatchRow {
  kind: 'l' | 'p' | 'c' | 'o';
  id: string | null;
  key: string | null;
  offset: number | null;
  due: number | null;
}

const INSERT_CHUNK = 500;

function toRow(msg: JsMsg): Row {
  const envelope = msg.string();
  // The relay publishes only envelopes that passed the catalog; this is the parsing edge.
  const event = JSON.parse(envelope) as Envelope;
  return fromEnvelope(msg.seq, envelope, event);
}

/** `id` and `key` as PostgreSQL stores them, so that they compare equal to what it returns. */
function fromEnvelope(offset: number, envelope: string, event: Envelope): Row {
  return {
    offset,
    id: wellFormed(event.id),
    type: event.type,
    key: wellFormed(event.partitionkey),
    envelope,
    correlationid: event.correlationid,
    event,
  };
}

/** A handler's context: one per handled event, its logger made only if asked for. */
class WorkerContext implements HandlerContext {
  private child: Logger | undefined;

  constructor(
    private readonly log: Logger,
    private readonly deps: WorkerDeps,
    readonly partition: number,
    readonly tx: Tx,
    private readonly envelope: Envelope,
    readonly offset: number,
    readonly attempt: number,
  ) {}

  get logger(): Logger {
    this.child ??= withCorrelation(this.log, this.envelope.correlationid, { eventId: this.envelope.id, type: this.envelope.type });
    return this.child;
  }

  publish(topic: string, events: readonly Envelope[]): Promise<PublishResult[]> {
    return this.deps.publish(topic, events, this.tx);
  }
}

/**
 * Consumes one partition of one group while this process holds its lease (epoch). It reads its
 * position from PostgreSQL (el_offsets, committed with the handlers' effects), creates a durable
 * pull consumer named after the epoch starting there, and handles what arrives in batches, in
 * stream order: one transaction per batch (lease check, inbox, handlers, parking, position), then
 * acks. A former owner's consumer is deleted, which ends its pulls; its commits are fenced.
 */
export class PartitionWorker {
  private stopping = false;
  private broken = false;
  private wakeUp: (() => void) | undefined;
  private queue: JsMsg[] = [];
  private messages: ConsumerMessages | undefined;
  private nextOffset = 0;
  /** The last handled message not yet acked, and how many handled messages its ack will cover. */
  private unacked: JsMsg | undefined;
  private unackedCount = 0;
  private readonly ackEvery: number;
  private generation = 0;
  private running: Promise<void> | undefined;
  private readonly log: Logger;
  /** True while a round of work runs (drain waits for it). */
  busy = false;
  /** Set when the worker ended by itself (lease lost). */
  finished = false;

  constructor(
    private readonly deps: WorkerDeps,
    readonly subscription: Subscription,
    private readonly retry: RetryPolicy,
    readonly partition: number,
    readonly epoch: number,
  ) {
    this.log = deps.logger.child({ group: subscription.group, topic: subscription.topic, partition, epoch });
    this.ackEvery = Math.max(1, Math.floor(deps.settings.maxAckPending / 4));
  }

  start(): void {
    this.running = this.run();
  }

  /** Lets the batch in flight finish (or roll back) and stops pulling. */
  async stop(options: { deleteConsumer?: boolean } = {}): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.running;
    if (options.deleteConsumer) await this.deleteConsumers(undefined);
  }

  private get group(): string {
    return this.subscription.group;
  }

  private get topic(): string {
    return this.subscription.topic;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.open();
        failures = 0;
        await this.consumeLoop();
      } catch (err) {
        if (JetStreamErrors.leaseLost.is(err)) {
          this.log.info('partition lease lost; stopping its worker');
          break;
        }
        failures += 1;
        this.log.error({ err: errorMessage(err), failures }, 'partition worker failed; reopening');
        await this.idle(backoffMs(failures, 100, 5_000));
      } finally {
        await this.closeMessages();
      }
    }
    this.finished = true;
  }

  private async closeMessages(): Promise<void> {
    const messages = this.messages;
    this.messages = undefined;
    this.queue = [];
    this.unacked = undefined;
    this.unackedCount = 0;
    if (messages) await messages.close().catch(() => {});
  }

  /** Loads the position, (re)creates this epoch's consumer there and starts pulling. */
  private async open(): Promise<void> {
    const { js, jsm, names, store, leases, settings, clock } = this.deps;
    const stream = names.stream(this.topic);
    this.nextOffset = await store.transaction(async (tx) => {
      await leases.check(tx, this.group, this.topic, this.partition, this.epoch);
      const row = await tx.db
        .selectFrom('el_offsets')
        .select('next_offset')
        .where('group', '=', this.group)
        .where('topic', '=', this.topic)
        .where('partition', '=', this.partition)
        .executeTakeFirst();
      if (row) return Number(row.next_offset);
      const start = this.subscription.startAt === 'latest' ? (await jsm.streams.info(stream)).state.last_seq + 1 : 0;
      await tx.db
        .insertInto('el_offsets')
        .values({ group: this.group, topic: this.topic, partition: this.partition, next_offset: start, updated_at: clock.now() })
        .execute();
      return start;
    });
    const name = names.consumer(this.group, this.partition, this.epoch, this.generation++);
    const config: Partial<ConsumerConfig> = {
      durable_name: name,
      filter_subject: names.subject(this.topic, this.partition),
      // Handled strictly in stream order, so acking the last message of a batch acks the batch
      // (https://docs.nats.io/nats-concepts/jetstream/consumers#ackpolicy): one ack per batch.
      ack_policy: AckPolicy.All,
      ack_wait: settings.ackWaitMs * 1_000_000,
      max_ack_pending: settings.maxAckPending,
      replay_policy: ReplayPolicy.Instant,
      inactive_threshold: settings.consumerInactiveMs * 1_000_000,
      ...(this.nextOffset > 1
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.nextOffset }
        : { deliver_policy: DeliverPolicy.All }),
    };
    await jsm.consumers.add(stream, config);
    await this.deleteConsumers(name);
    const consumer = await js.consumers.get(stream, name);
    this.broken = false;
    this.queue = [];
    const messages = await consumer.consume({
      max_messages: Math.max(2 * settings.batchSize, 64),
      abort_on_missing_resource: true,
      callback: (m) => {
        this.queue.push(m);
        this.wakeUp?.();
      },
    });
    this.messages = messages;
    void messages.closed().then(() => {
      if (this.messages === messages) {
        this.broken = true;
        this.wakeUp?.();
      }
    });
  }

  /** Deletes this group's consumers on this partition other than `keep` (former epochs, crashed runs). */
  private async deleteConsumers(keep: string | undefined): Promise<void> {
    const { jsm, names } = this.deps;
    const stream = names.stream(this.topic);
    const prefix = names.consumerPrefix(this.group, this.partition);
    try {
      const stale: string[] = [];
      for await (const info of jsm.consumers.list(stream)) {
        if (info.name.startsWith(prefix) && info.name !== keep) stale.push(info.name);
      }
      for (const name of stale) await jsm.consumers.delete(stream, name).catch(() => false);
    } catch (err) {
      // Housekeeping only: inactive_threshold removes what is left.
      this.log.warn({ err: errorMessage(err) }, 'could not delete former consumers');
    }
  }

  private async consumeLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopping && !this.broken) {
      let idleMs: number;
      try {
        this.busy = true;
        idleMs = await this.step();
        failures = 0;
      } catch (err) {
        if (JetStreamErrors.leaseLost.is(err)) throw err;
        // The store failed (nothing committed): the batch stays queued and is tried again.
        failures += 1;
        idleMs = backoffMs(failures, 100, 5_000);
        this.log.error({ err: errorMessage(err), failures }, 'consumer step failed');
      } finally {
        this.busy = false;
      }
      if (idleMs > 0 && !this.stopping && !this.broken) await this.idle(idleMs);
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** Wakes an idle worker (redrive, replay). */
  wake(): void {
    this.wakeUp?.();
  }

  /**
   * One round: the next batch, then the due parked heads (the batch's transaction reads them; an
   * idle round reads them alone). Returns how long to idle (0: more waits).
   */
  private async step(): Promise<number> {
    let heads: ParkedHead[];
    const batch = this.takeBatch();
    if (batch.length > 0) {
      const done = await this.processBatch(batch.map(toRow));
      heads = done.heads;
      const last = this.queue.splice(0, done.consumed).at(-1);
      if (last) {
        this.nextOffset = last.seq + 1;
        this.unacked = last;
        this.unackedCount += done.consumed;
      }
    } else {
      heads = await this.parkedHeads();
    }
    // AckAll: one ack covers every message up to it, all committed (or parked) by now. The position
    // in PostgreSQL is what a restart or a new owner reads, so acks only keep JetStream's window
    // (max_ack_pending) and redelivery timer (ack_wait) moving: one per quarter window while a
    // backlog lasts, and one whenever the queue runs empty.
    if (this.unacked && (this.queue.length === 0 || this.unackedCount >= this.ackEvery)) {
      this.unacked.ack();
      this.unacked = undefined;
      this.unackedCount = 0;
    }
    const now = this.deps.clock.now();
    let nextDue = Number.POSITIVE_INFINITY;
    let didParked = false;
    for (const head of heads) {
      if (head.due <= now) {
        await this.retryParked(head.offset);
        didParked = true;
      } else {
        nextDue = Math.min(nextDue, head.due);
      }
    }
    if (this.queue.length > 0 || didParked) return 0;
    const untilDue = nextDue - this.deps.clock.now();
    return Math.max(1, Math.min(this.deps.settings.pollIntervalMs, untilDue));
  }

  private async parkedHeads(): Promise<ParkedHead[]> {
    const { rows } = await this.deps.store.db.executeQuery<{ key: string; offset: number; next_attempt_at: number }>(
      CompiledQuery.raw(SQL.parkedHeads, [this.group, this.topic, this.partition]),
    );
    return rows.map((r) => ({ key: r.key, offset: Number(r.offset), due: Number(r.next_attempt_at) }));
  }

  /**
   * The next messages in stream order. Redeliveries of what this owner already committed (an ack
   * lost, ack_wait passed) are acked and dropped: the position in PostgreSQL is the truth.
   */
  private takeBatch(): JsMsg[] {
    const taken: JsMsg[] = [];
    let floor = this.nextOffset;
    let i = 0;
    while (i < this.queue.length && taken.length < this.deps.settings.batchSize) {
      const m = this.queue[i++];
      if (!m) continue;
      if (m.seq < floor) {
        m.ack();
        continue;
      }
      taken.push(m);
      floor = m.seq + 1;
    }
    this.queue = [...taken, ...this.queue.slice(i)];
    return taken;
  }

  private async processBatch(batch: Row[]): Promise<{ consumed: number; heads: ParkedHead[] }> {
    const { store } = this.deps;
    try {
      return await store.transaction((tx) => this.applyBatch(tx, batch, undefined));
    } catch (err) {
      if (!(err instanceof BatchFailed)) throw err;
      // Redo up to the failed event: those before it commit, the failed one is parked (not run again).
      return store.transaction((tx) => this.applyBatch(tx, batch, err));
    }
  }

  private async applyBatch(tx: Tx, batch: Row[], failed: BatchFailed | undefined): Promise<{ consumed: number; heads: ParkedHead[] }> {
    const failedAt = failed?.offset;
    const rows = failedAt === undefined ? batch : batch.filter((r) => r.offset <= failedAt);
    const { heads, fresh } = await this.openBatch(tx, rows);
    const keys = new Set(heads.map((h) => h.key));
    const toPark: Row[] = [];
    const wanted = this.subscription.types;
    for (const row of rows) {
      if (keys.has(row.key)) {
        toPark.push(row);
        continue;
      }
      // delete, not has: a re-sent copy of an event can sit in the same batch as the first one.
      if (!fresh.delete(row.id)) continue;
      if (wanted && !wanted.includes(row.type)) continue;
      if (failed && failedAt === row.offset) {
        await tx.db.deleteFrom('el_inbox').where('group', '=', this.group).where('event_id', '=', row.id).execute();
        await this.recordFailure(tx, row, failed.failure, 0, []);
        keys.add(row.key);
        continue;
      }
      try {
        await this.subscription.handler(row.event, this.context(tx, row.event, row.offset, 1));
      } catch (err) {
        if (failedAt === undefined) throw new BatchFailed(row.offset, err);
        throw err;
      }
    }
    if (toPark.length > 0) await this.parkBehind(tx, toPark);
    return { consumed: rows.length, heads };
  }

  /**
   * Checks the lease (fencing), moves the position past `rows`, reads the parked heads and claims the
   * inbox rows of the events whose key has none, in one statement. Throws CD_ERR_EVENTLOG_LEASE_LOST
   * when the lease is gone.
   */
  private async openBatch(tx: Tx, rows: Row[]): Promise<{ heads: ParkedHead[]; fresh: Set<string> }> {
    const { leases, clock } = this.deps;
    const last = rows.at(-1);
    if (!last) return { heads: [], fresh: new Set() };
    const claims = JSON.stringify(rows.map((r) => ({ id: r.id, k: r.key })));
    const now = clock.now();
    const result = await tx.all<OpenBatchRow>(SQL.openBatch, [
      this.group,
      this.topic,
      this.partition,
      leases.processId,
      this.epoch,
      last.offset + 1,
      now,
      this.group,
      this.topic,
      this.partition,
      this.group,
      this.topic,
      this.partition,
      this.group,
      now,
      claims,
    ]);
    const heads: ParkedHead[] = [];
    const fresh = new Set<string>();
    let held = false;
    for (const r of result) {
      if (r.kind === 'l') held = true;
      else if (r.kind === 'p' && r.key !== null) heads.push({ key: r.key, offset: Number(r.offset), due: Number(r.due) });
      else if (r.kind === 'c' && r.id !== null) fresh.add(r.id);
    }
    if (!held) throw leases.lost(this.group, this.topic, this.partition, this.epoch);
    return { heads, fresh };
  }

  /** Inserts inbox rows; returns the ids this group had not processed before. */
  private async claimInbox(tx: Tx, rows: Row[]): Promise<Set<string>> {
    const fresh = new Set<string>();
    const now = this.deps.clock.now();
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const params = chunk.flatMap((r) => [this.group, r.id, now]);
      const values = chunk.map(() => '(?, ?, ?)').join(', ');
      const inserted = await tx.all<{ event_id: string }>(`${SQL.claimInboxPrefix}${values}${SQL.claimInboxSuffix}`, params);
      for (const r of inserted) fresh.add(r.event_id);
    }
    return fresh;
  }

  private async parkBehind(tx: Tx, rows: Row[]): Promise<void> {
    await tx.db
      .insertInto('el_parked')
      .values(
        rows.map((r) => ({
          group: this.group,
          topic: this.topic,
          partition: this.partition,
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

  private context(tx: Tx, envelope: Envelope, offset: number, attempt: number): HandlerContext {
    return new WorkerContext(this.log, this.deps, this.partition, tx, envelope, offset, attempt);
  }

  /** Schedules the next attempt of a failed event, or moves it to the dead letters (same rules as the SQL log). */
  private async recordFailure(
    tx: Tx,
    row: EventRef,
    err: unknown,
    previousAttempts: number,
    previousHistory: AttemptRecord[],
  ): Promise<void> {
    const { clock } = this.deps;
    const now = clock.now();
    const attempts = previousAttempts + 1;
    const errClass = classify(err);
    const record: AttemptRecord = { at: now, code: errorCode(err), class: errClass, message: errorMessage(err) };
    const history = [...previousHistory, record];
    const dead = errClass !== 'retryable' || attempts >= this.retry.maxAttempts;
    const elog = withCorrelation(this.log, row.correlationid, { eventId: row.id, offset: row.offset, attempts });
    if (dead) {
      await tx.db
        .deleteFrom('el_parked')
        .where('group', '=', this.group)
        .where('topic', '=', this.topic)
        .where('partition', '=', this.partition)
        .where('offset', '=', row.offset)
        .execute();
      await tx.db
        .insertInto('el_dead_letters')
        .values({
          group: this.group,
          topic: this.topic,
          partition: this.partition,
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
    const delay = Math.max(retryAfter ?? 0, backoffMs(attempts, this.retry.baseMs, this.retry.maxMs));
    const values = { attempts, next_attempt_at: now + delay, last_error: record.message, history: JSON.stringify(history) };
    await tx.db
      .insertInto('el_parked')
      .values({
        group: this.group,
        topic: this.topic,
        partition: this.partition,
        offset: row.offset,
        key: row.key,
        event_id: row.id,
        ...values,
      })
      .onConflict((oc) => oc.columns(['group', 'topic', 'partition', 'offset']).doUpdateSet(values))
      .execute();
    elog.warn({ code: record.code, class: record.class, err: record.message, retryInMs: delay }, 'event parked');
  }

  /** Loads a parked event from the stream by sequence and runs it once more. */
  private async retryParked(offset: number): Promise<void> {
    const { store, jsm, names, leases } = this.deps;
    const stored = await jsm.streams.getMessage(names.stream(this.topic), { seq: offset }).catch((err: unknown) => {
      // A message removed by retention reads as "no message found"; anything else is an outage.
      if (err instanceof Error && /no message found/i.test(err.message)) return null;
      throw err;
    });
    let failure: { err: unknown; row: EventRef; attempts: number; history: AttemptRecord[] } | undefined;
    try {
      await store.transaction(async (tx) => {
        await leases.check(tx, this.group, this.topic, this.partition, this.epoch);
        const parked = await tx.db
          .selectFrom('el_parked')
          .selectAll()
          .where('group', '=', this.group)
          .where('topic', '=', this.topic)
          .where('partition', '=', this.partition)
          .where('offset', '=', offset)
          .executeTakeFirst();
        if (!parked) return;
        // Written by this driver only, as JSON of AttemptRecord[].
        const history = JSON.parse(parked.history) as AttemptRecord[];
        if (!stored) {
          failure = {
            err: EventLogErrors.eventExpired(`event ${parked.event_id} at ${this.topic}/${this.partition}/${offset} is no longer retained`),
            row: { offset, id: parked.event_id, type: 'unknown', key: parked.key, envelope: '{}', correlationid: undefined },
            attempts: parked.attempts,
            history,
          };
          return;
        }
        const envelope = stored.string();
        const event = JSON.parse(envelope) as Envelope;
        const row = fromEnvelope(offset, envelope, event);
        const fresh = await this.claimInbox(tx, [row]);
        const wanted = !this.subscription.types || this.subscription.types.includes(event.type);
        if (fresh.has(row.id) && wanted) {
          try {
            await this.subscription.handler(event, this.context(tx, event, offset, parked.attempts + 1));
          } catch (err) {
            failure = { err, row, attempts: parked.attempts, history };
            throw err;
          }
        }
        await tx.db
          .deleteFrom('el_parked')
          .where('group', '=', this.group)
          .where('topic', '=', this.topic)
          .where('partition', '=', this.partition)
          .where('offset', '=', offset)
          .execute();
      });
    } catch (err) {
      if (!failure) throw err;
    }
    const f = failure;
    if (f) {
      await store.transaction(async (tx) => {
        await leases.check(tx, this.group, this.topic, this.partition, this.epoch);
        await this.recordFailure(tx, f.row, f.err, f.attempts, f.history);
      });
    }
  }
}
