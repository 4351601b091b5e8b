import type { Envelope } from '../canonical/index.js';
import type { ErrorClass, Logger } from '../kernel/index.js';
import type { Tx } from '../store/index.js';

/**
 * The event log contract. Every driver (the SQL log on SQLite or PostgreSQL, JetStream) honours it
 * and passes eventlog.contract.ts.
 *
 * Guarantees:
 * - an event published to a topic lands in the partition chosen by hashing its `partitionkey`;
 *   publishing the same event id to a topic twice stores it once;
 * - a consumer group sees each partition's events in offset order; for one key, a handler never
 *   runs on an event before the key's earlier events have succeeded or been dead-lettered;
 * - a handler's store effects, the group's inbox entry and its offset advance commit together, so
 *   an event takes effect once per group even across crashes;
 * - a failing event parks its key (later events of that key wait, other keys flow) and is retried
 *   with backoff by error class; after `maxAttempts` (or at once, for a permanent error) it moves to
 *   the dead letters with its error history, and the key flows again.
 */
export interface PublishOptions {
  tx?: Tx;
  /**
   * Each event's data was parsed by the caller with its type's schema (or one derived from it by
   * omitting fields the caller then set): the log checks the envelopes and types, not the data
   * again. See EventCatalog.validate.
   */
  dataParsed?: boolean;
}

export interface EventLog {
  /** Creates the topic if new; its partition count is fixed once created. */
  ensureTopic(topic: string, partitions?: number): Promise<TopicInfo>;
  /**
   * Validates and appends events. With `tx`, the append is part of that transaction (the
   * transactional outbox): the events exist if and only if the caller's state change commits.
   */
  publish(topic: string, events: readonly Envelope[], options?: PublishOptions): Promise<PublishResult[]>;
  /** Registers a consumer group on a topic; it starts with start() (or at once if already started). */
  subscribe(subscription: Subscription): void;
  start(): Promise<void>;
  /** Stops fetching, lets in-flight batches finish (or roll back), and returns. */
  stop(): Promise<void>;

  read(topic: string, query: ReadQuery): Promise<StoredEvent[]>;
  replay(request: ReplayRequest): Promise<ReplayResult>;
  listParked(filter?: GroupFilter): Promise<ParkedEvent[]>;
  listDeadLetters(filter?: DeadLetterFilter): Promise<DeadLetter[]>;
  /** Sends dead letters back to their group; each is retried from attempt 1, ahead of the key's later events. */
  redrive(request: RedriveRequest): Promise<number>;
  stats(): Promise<EventLogStats>;
  /** Resolves when every subscribed group has nothing left to do (test and tool helper). */
  drain(options?: { timeoutMs?: number }): Promise<void>;
}

export interface TopicInfo {
  name: string;
  partitions: number;
}

export interface PublishResult {
  id: string;
  topic: string;
  partition: number;
  offset: number;
  /** False when an event with this id was already in the topic (nothing was written). */
  created: boolean;
}

export interface HandlerContext {
  /** The transaction the handler's store effects must use; it commits with the offset. */
  readonly tx: Tx;
  readonly attempt: number;
  readonly logger: Logger;
  readonly partition: number;
  readonly offset: number;
  /** Publishes follow-up events in the same transaction. */
  publish(topic: string, events: readonly Envelope[]): Promise<PublishResult[]>;
}

export type Handler = (event: Envelope, ctx: HandlerContext) => Promise<void>;

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export interface Subscription {
  group: string;
  topic: string;
  handler: Handler;
  /** Only these event types reach the handler; others are acknowledged and skipped. */
  types?: readonly string[];
  retry?: Partial<RetryPolicy>;
  /** Where a new group starts: the beginning of the topic (default) or its end. */
  startAt?: 'earliest' | 'latest';
}

export interface StoredEvent {
  topic: string;
  partition: number;
  offset: number;
  publishedAt: number;
  envelope: Envelope;
}

export interface ReadQuery {
  partition?: number;
  fromOffset?: number;
  fromTime?: number;
  limit?: number;
  key?: string;
  correlationid?: string;
  /** The newest `limit` events (still returned oldest first) instead of the oldest. */
  newest?: boolean;
}

export interface ReplayRequest {
  group: string;
  topic: string;
  /** All partitions when omitted. */
  partition?: number;
  /** Exactly one of fromOffset (needs partition) or fromTime (epoch ms). */
  fromOffset?: number;
  fromTime?: number;
}

export interface ReplayResult {
  partitions: Array<{ partition: number; from: number; to: number }>;
  /** Events that will be delivered to the group again. */
  events: number;
}

export interface GroupFilter {
  group?: string;
  topic?: string;
}

export interface AttemptRecord {
  at: number;
  code: string;
  class: ErrorClass;
  message: string;
}

export interface ParkedEvent {
  group: string;
  topic: string;
  partition: number;
  offset: number;
  key: string;
  eventId: string;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

export interface DeadLetterFilter extends GroupFilter {
  includeRedriven?: boolean;
  limit?: number;
}

export interface DeadLetter {
  id: number;
  group: string;
  topic: string;
  partition: number;
  offset: number;
  key: string;
  eventId: string;
  type: string;
  envelope: Envelope;
  errorCode: string;
  errorClass: ErrorClass;
  errorMessage: string;
  attempts: number;
  history: AttemptRecord[];
  deadAt: number;
  redrivenAt: number | null;
}

export interface RedriveRequest extends GroupFilter {
  ids?: readonly number[];
}

export interface GroupStats {
  group: string;
  topic: string;
  /** Events published but not yet read by this group. */
  lag: number;
  parked: number;
  deadLetters: number;
}

export interface EventLogStats {
  topics: Array<TopicInfo & { events: number }>;
  groups: GroupStats[];
}
