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
  connector_bindings: ConnectorBindingTable;
  connector_credentials: ConnectorCredentialTable;
  connector_cursors: ConnectorCursorTable;
  webhook_receipts: WebhookReceiptTable;
  el_outbox: EventLogOutboxTable;
  el_relayed: EventLogRelayedTable;
  el_leases: EventLogLeaseTable;
  el_members: EventLogMemberTable;
  wf_instances: WorkflowInstanceTable;
  wf_steps: WorkflowStepTable;
  wf_signals: WorkflowSignalTable;
  exceptions: ExceptionTable;
  exception_history: ExceptionHistoryTable;
  gw_partners: GatewayPartnerTable;
  gw_api_keys: GatewayApiKeyTable;
  gw_clients: GatewayClientTable;
  gw_users: GatewayUserTable;
  gw_quota: GatewayQuotaTable;
  gw_idempotency: GatewayIdempotencyTable;
  file_receipts: FileReceiptTable;
  file_sends: FileSendTable;
  batch_loads: BatchLoadTable;
  batch_row_errors: BatchRowErrorTable;
  edi_control_numbers: EdiControlNumberTable;
  edi_interchanges_seen: EdiInterchangeSeenTable;
  edi_outbound_acks: EdiOutboundAckTable;
  edi_outbox: EdiOutboxTable;
  av_positions: AvPositionTable;
  av_ledger: AvLedgerTable;
  av_in_transit: AvInTransitTable;
  av_lots: AvLotTable;
  av_reservations: AvReservationTable;
  av_reservation_lines: AvReservationLineTable;
  av_drift: AvDriftTable;
  availability_exceptions: AvailabilityExceptionTable;
  connector_budget_windows: ConnectorBudgetWindowTable;
  wh_subscriptions: WebhookSubscriptionTable;
  wh_deliveries: WebhookDeliveryTable;
  wh_attempts: WebhookAttemptTable;
  wh_owners: WebhookOwnerTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  doc_documents: DocumentTable;
  doc_status: DocumentStatusTable;
  md_xref: MdXrefTable;
  md_records: MdRecordTable;
  flow_credit_exposure: FlowCreditExposureTable;
  obs_entities: ObsEntityTable;
  obs_milestones: ObsMilestoneTable;
  obs_keys: ObsKeyTable;
  obs_sla_clocks: ObsSlaClockTable;
  obs_state: ObsStateTable;
  obs_lag_samples: ObsLagSampleTable;
}

export interface ConnectorBindingTable {
  connector: string;
  instance: string;
  object_type: string;
  canonical_id: string;
  external_key: string;
  external_id: string | null;
  /** `pending` from just before the create is sent; `bound` once its result is saved. */
  status: string;
  attempts: number;
  result: string | null;
  updated_at: number;
}

export interface ConnectorCredentialTable {
  connector: string;
  instance: string;
  key_id: string;
  /** base64 of nonce | ciphertext | auth tag (AES-256-GCM). */
  sealed: string;
  updated_at: number;
}

export interface ConnectorCursorTable {
  connector: string;
  instance: string;
  trigger: string;
  cursor: string;
  updated_at: number;
}

export interface WebhookReceiptTable {
  connector: string;
  instance: string;
  delivery_id: string;
  topic: string;
  /** accepted | rejected (bad signature) | failed (did not map) */
  status: string;
  error: string | null;
  headers: string;
  raw_body: string;
  received_at: number;
  duplicates: number;
}

export interface KvTable {
  namespace: string;
  key: string;
  value: string;
  version: number;
  updated_at: number;
}

/** Events published with the caller's transaction, waiting for the relay to put them in JetStream. */
export interface EventLogOutboxTable {
  seq: Generated<number>;
  topic: string;
  partition: number;
  id: string;
  key: string;
  correlationid: string;
  created_at: number;
  /** The whole CloudEvents envelope as JSON (the JetStream message body). */
  envelope: string;
}

/** Events the relay put in JetStream, with their stream sequence (the JetStream log's offset). */
export interface EventLogRelayedTable {
  topic: string;
  id: string;
  partition: number;
  seq: number;
  key: string;
  correlationid: string;
  published_at: number;
}

/** Which process consumes a (group, topic, partition) in cluster mode; `epoch` fences former owners. */
export interface EventLogLeaseTable {
  group: string;
  topic: string;
  partition: number;
  owner: string | null;
  epoch: number;
  acquired_at: number;
}

/** A process consuming a (group, topic); its heartbeat keeps its leases alive. */
export interface EventLogMemberTable {
  group: string;
  topic: string;
  process_id: string;
  heartbeat_at: number;
  started_at: number;
}

export interface WorkflowInstanceTable {
  flow: string;
  key: string;
  version: number;
  /** running | suspended | completed | failed | compensating | cancelled */
  status: string;
  input: string;
  output: string | null;
  error: string | null;
  correlationid: string;
  parent_flow: string | null;
  parent_key: string | null;
  parent_step: string | null;
  /** When a suspended instance runs again (a sleep, a retry, a waitFor deadline). */
  wake_at: number | null;
  waiting_type: string | null;
  waiting_key: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  cancel_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface WorkflowStepTable {
  flow: string;
  key: string;
  step: string;
  seq: number;
  /** step | sleep | wait | child */
  kind: string;
  /** started | done | failed | uncertain */
  status: string;
  result: string | null;
  error: string | null;
  attempts: number;
  has_compensation: number;
  compensated: number;
  started_at: number;
  finished_at: number | null;
}

export interface WorkflowSignalTable {
  id: string;
  type: string;
  key: string;
  payload: string;
  received_at: number;
  consumed_by: string | null;
}

export interface ExceptionTable {
  id: string;
  category: string;
  /** low | medium | high | critical */
  severity: string;
  /** open | resolved */
  status: string;
  title: string;
  /** JSON: whatever an operator needs to decide (both prices, the bad field, the raw value…). */
  detail: string;
  source: string;
  /** The business object it is about: `order/SO-1001`, `po/PO-77`, `edi/ISA-000000123`. */
  subject: string;
  partner: string | null;
  warehouse: string | null;
  channel: string | null;
  owner: string | null;
  dedupe_key: string;
  /** dedupe_key while open, NULL once resolved: one open exception per cause. */
  open_key: string | null;
  occurrences: number;
  /** JSON array of actions an operator can take (retry a flow, re-drive a dead letter, …). */
  actions: string;
  correlationid: string | null;
  opened_at: number;
  due_at: number | null;
  resolved_at: number | null;
  resolution: string | null;
  resolved_by: string | null;
  updated_at: number;
}

export interface ExceptionHistoryTable {
  exception_id: string;
  seq: number;
  at: number;
  actor: string;
  action: string;
  note: string | null;
}

export interface GatewayPartnerTable {
  id: string;
  name: string;
  plan: string;
  /** active | suspended */
  status: string;
  created_at: number;
}

export interface GatewayApiKeyTable {
  prefix: string;
  partner_id: string;
  /** sha256 of the secret part, hex. */
  secret_hash: string;
  /** JSON array of scopes. */
  scopes: string;
  label: string | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface GatewayClientTable {
  client_id: string;
  partner_id: string;
  secret_hash: string;
  scopes: string;
  created_at: number;
  revoked_at: number | null;
}

export interface GatewayUserTable {
  username: string;
  /** scrypt$N$r$p$salt$hash */
  password_hash: string;
  /** admin | operator | viewer */
  role: string;
  created_at: number;
  disabled_at: number | null;
}

export interface GatewayQuotaTable {
  partner_id: string;
  window_start: number;
  /** Requests of this window already handed out to processes. */
  granted: number;
}

export interface GatewayIdempotencyTable {
  partner_id: string;
  key: string;
  method: string;
  path: string;
  body_hash: string;
  /** 0 while the first request is in flight, then the response status. */
  status: number;
  /** JSON {headers, body} of the first response. */
  response: string;
  created_at: number;
}

/** One inbound file taken: processed once, keyed by (transport, path, size, mtime); sha256 catches re-sent bytes. */
export interface FileReceiptTable {
  id: string;
  transport: string;
  path: string;
  size: number;
  mtime: number;
  sha256: string;
  /** pending (retryable failure) | done | failed | duplicate */
  status: string;
  attempts: number;
  error: string | null;
  received_at: number;
  moved_to: string | null;
  moved_at: number | null;
}

/** One outbound document: pending -> renaming -> sent; ack_* once the partner acknowledges. */
export interface FileSendTable {
  transport: string;
  document_id: string;
  path: string;
  size: number;
  sha256: string;
  status: string;
  attempts: number;
  created_at: number;
  sent_at: number | null;
  ack_status: string | null;
  ack_detail: string | null;
  ack_at: number | null;
}

/** A batch load's checkpoint, advanced with each committed chunk. */
export interface BatchLoadTable {
  load_id: string;
  type: string;
  source: string;
  size: number;
  status: string;
  header: string;
  next_offset: number;
  next_line: number;
  rows_ok: number;
  rows_failed: number;
  started_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface BatchRowErrorTable {
  load_id: string;
  line: number;
  field: string | null;
  code: string;
  message: string;
  raw: string;
}

/** Stock of one item at one location, in the item's base unit. ATP is derived, never stored. */
export interface AvPositionTable {
  item: string;
  location: string;
  on_hand: number;
  allocated: number;
  reserved: number;
  held: number;
  version: number;
  updated_at: number;
}

/** One change to one position; unique per (event_id, item, location). */
export interface AvLedgerTable {
  id: Generated<number>;
  event_id: string;
  item: string;
  location: string;
  kind: string;
  d_on_hand: number;
  d_allocated: number;
  d_reserved: number;
  d_held: number;
  d_in_transit: number;
  on_hand_after: number;
  source: string;
  reason: string;
  correlation_id: string;
  at: number;
}

export interface AvInTransitTable {
  item: string;
  location: string;
  /** The ASN (or PO) the goods travel under. */
  ref: string;
  quantity: number;
  eta: number | null;
}

export interface AvLotTable {
  item: string;
  location: string;
  lot: string;
  /** ISO date. */
  expiry: string | null;
  quantity: number;
}

export interface AvReservationTable {
  order_id: string;
  line: string;
  location: string;
  item: string;
  quantity: number;
  /** reserved | committed | released */
  status: string;
  channel: string;
  customer: string | null;
  created_at: number;
  updated_at: number;
}

/** The claim of an order line, made before any stock is reserved for it: (order, line) is reserved once. */
export interface AvReservationLineTable {
  order_id: string;
  line: string;
  item: string;
  quantity: number;
  created_at: number;
}

/** What a full snapshot found: the ledger expected one figure, the system reported another. */
export interface AvDriftTable {
  id: Generated<number>;
  event_id: string;
  source: string;
  item: string;
  location: string;
  expected: number;
  reported: number;
  at: number;
}

export interface AvailabilityExceptionTable {
  id: Generated<number>;
  category: string;
  item: string;
  location: string;
  event_id: string;
  /** JSON. */
  detail: string;
  at: number;
}

/** Migration 0016-edi: outbound control number counters, per partner and level. */
export interface EdiControlNumberTable {
  partner: string;
  level: string;
  last_value: number;
  updated_at: number;
}

export interface EdiInterchangeSeenTable {
  partner: string;
  key: string;
  received_at: number;
  source: string | null;
}

/** An outbound transaction set / message and its acknowledgement: `pending`, `accepted`, `rejected`. */
export interface EdiOutboundAckTable {
  partner: string;
  standard: string;
  interchange_control: string;
  group_control: string;
  transaction_control: string;
  document_type: string;
  document_id: string | null;
  status: string;
  detail: string | null;
  sent_at: number;
  due_at: number | null;
  acked_at: number | null;
  overdue_raised: number;
}

/** A file waiting to be uploaded to a partner (an acknowledgement, an outbound interchange). */
export interface EdiOutboxTable {
  id: string;
  partner: string;
  path: string;
  content: string;
  created_at: number;
  sent_at: number | null;
}

/** Calls granted to processes for one target system in one short window (cluster-wide rate budgets). */
export interface ConnectorBudgetWindowTable {
  target: string;
  window_start: number;
  granted: number;
}

/** Migration 0018-documents: a partner-facing document (order, shipment, invoice, …) as JSON, versioned. */
export interface DocumentTable {
  partner_id: string;
  kind: string;
  id: string;
  /** The partner's own number for the document (channel order id, ASN number), unique per partner and kind. */
  number: string | null;
  status: string | null;
  version: number;
  data: string;
  created_at: number;
  updated_at: number;
}

/** One status a document passed through, with the version that set it. */
export interface DocumentStatusTable {
  partner_id: string;
  kind: string;
  id: string;
  version: number;
  status: string;
  source: string;
  note: string | null;
  at: number;
}

/** An outbound webhook subscription of a partner: where to send which event types, signed with its secret. */
export interface WebhookSubscriptionTable {
  id: string;
  partner_id: string;
  url: string;
  /** JSON array of event types (`crossdock.order.shipped.v1`) or `["*"]`. */
  event_types: string;
  description: string | null;
  /** active | paused */
  status: string;
  secret_key_id: string;
  /** The signing secret, sealed with a master key (AES-256-GCM) or `plain:` without one. */
  secret_sealed: string;
  prev_secret_key_id: string | null;
  prev_secret_sealed: string | null;
  /** Until when the secret replaced by a rotation still signs (both signatures are sent). */
  prev_secret_until: number | null;
  created_at: number;
  updated_at: number;
}

/** One event to one subscription; retried with backoff until delivered or dead. */
export interface WebhookDeliveryTable {
  id: string;
  subscription_id: string;
  partner_id: string;
  event_id: string;
  event_type: string;
  dedupe_key: string;
  /** The body sent (the CloudEvents envelope as JSON), byte for byte what is signed. */
  payload: string;
  /** pending | delivered | dead */
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_status: number | null;
  last_error: string | null;
  replay_of: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

/** Which partner started a business transaction (correlation id): its later events go to that partner. */
export interface WebhookOwnerTable {
  correlationid: string;
  partner_id: string;
  created_at: number;
}

export interface WebhookAttemptTable {
  delivery_id: string;
  attempt: number;
  at: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/** The audit log: append-only, each row carrying the hash of the one before. */
export interface AuditLogTable {
  seq: number;
  id: string;
  at: number;
  actor: string;
  action: string;
  resource: string;
  before_digest: string | null;
  after_digest: string | null;
  /** JSON object: small facts about the change (never personal data or secrets). */
  detail: string;
  correlationid: string | null;
  prev_hash: string;
  hash: string;
}

/** The single row (id 1) holding the audit chain's last sequence number and hash. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** Migration 0019-flows-masterdata: a system's id of a master-data object, bound to its canonical id. */
export interface MdXrefTable {
  kind: string;
  system: string;
  system_id: string;
  canonical_id: string;
  updated_at: number;
}

/** The canonical record of a master-data object (JSON), with the system that last wrote it. */
export interface MdRecordTable {
  kind: string;
  canonical_id: string;
  data: string;
  source: string;
  version: number;
  updated_at: number;
}

/** Open order value per customer that the order-to-cash credit check counts (decimal string amount). */
export interface FlowCreditExposureTable {
  order_id: string;
  customer_id: string;
  amount: string;
  currency: string;
  updated_at: number;
}

/** Migration 0017-observability: an order, purchase order or return seen by the timeline projection. */
export interface ObsEntityTable {
  kind: string;
  id: string;
  label: string | null;
  partner: string | null;
  channel: string | null;
  warehouse: string | null;
  correlationid: string | null;
  first_at: number;
  last_at: number;
  last_milestone: string;
}

/** One business milestone of an entity, from one event (replays are no-ops: the key includes the event id). */
export interface ObsMilestoneTable {
  kind: string;
  entity_id: string;
  event_id: string;
  milestone: string;
  system: string;
  at: number;
  event_type: string;
  source: string;
  correlationid: string | null;
  partner: string | null;
  channel: string | null;
  warehouse: string | null;
  /** JSON object. */
  detail: string;
}

/** A business key (order number, tracking number, ERP id, EDI control number…) pointing at an entity. */
export interface ObsKeyTable {
  value: string;
  kind: string;
  entity_id: string;
  key_type: string;
}

/** An SLA clock: `running` until its target milestone arrives (`met`) or its due time passes (`breached`). */
export interface ObsSlaClockTable {
  id: string;
  rule: string;
  kind: string;
  entity_id: string;
  to_milestone: string;
  partner: string | null;
  channel: string | null;
  warehouse: string | null;
  started_at: number;
  due_at: number;
  status: string;
  met_at: number | null;
  breached_at: number | null;
  exception_id: string | null;
  updated_at: number;
}

/** Small named values of the observability module (watermarks). */
export interface ObsStateTable {
  key: string;
  value: string;
}

/** The event log's total consumer lag, parked events and dead letters, sampled once a minute (dashboard history). */
export interface ObsLagSampleTable {
  at: number;
  lag: number;
  parked: number;
  dead_letters: number;
}
