import type { Generated } from 'kysely';

/**
 * Tables of the crossdock store, as Kysely sees them. Both drivers (SQLite, PostgreSQL) create them
 * with the same migrations. JSON is kept as text so that both dialects store it the same way;
 * times are epoch milliseconds (integer) for the same reason.
 */
export interface EventLogTopicTable {
  name: string;
  partitions: number;
  created_at: number;
}

export interface EventLogPartitionTable {
  topic: string;
  partition: number;
  next_offset: number;
}

export interface EventLogEventTable {
  topic: string;
  partition: number;
  offset: number;
  id: string;
  type: string;
  key: string;
  correlationid: string;
  published_at: number;
  /** The whole CloudEvents envelope as JSON. */
  envelope: string;
}

export interface EventLogOffsetTable {
  group: string;
  topic: string;
  partition: number;
  /** The next offset this group will read. */
  next_offset: number;
  updated_at: number;
}

export interface EventLogInboxTable {
  group: string;
  event_id: string;
  processed_at: number;
}

export interface EventLogParkedTable {
  group: string;
  topic: string;
  partition: number;
  offset: number;
  key: string;
  event_id: string;
  /** Failed attempts so far; 0 for an event waiting behind the key's head. */
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  /** JSON array of {at, code, class, message}. */
  history: string;
}

export interface EventLogDeadLetterTable {
  id: Generated<number>;
  group: string;
  topic: string;
  partition: number;
  offset: number;
  key: string;
  event_id: string;
  type: string;
  envelope: string;
  error_code: string;
  error_class: string;
  error_message: string;
  attempts: number;
  history: string;
  dead_at: number;
  redriven_at: number | null;
}

export interface Database {
  el_topics: EventLogTopicTable;
  el_partitions: EventLogPartitionTable;
  el_events: EventLogEventTable;
  el_offsets: EventLogOffsetTable;
  el_inbox: EventLogInboxTable;
  el_parked: EventLogParkedTable;
  el_dead_letters: EventLogDeadLetterTable;
  /** A table kept only for the store contract suite and crash tests. */
  kv: KvTable;
}

export interface KvTable {
  namespace: string;
  key: string;
  value: string;
  version: number;
  updated_at: number;
}
