/**
 * The shapes of the /ops answers the console reads (docs/ops-api.md), checked at the edge so the
 * pages work with typed values. Unknown fields are dropped; a missing field fails loudly.
 */
import { z } from 'zod/mini';

const str = z.string();
const num = z.number();
const nstr = z.nullable(z.string());
const nnum = z.nullable(z.number());
const ostr = z.optional(z.nullable(z.string()));

/** POST /v1/auth/login */
export const LoginAnswer = z.object({ access_token: str, role: str, expires_in: num });
/** GET /ops/session */
export const Session = z.object({ kind: str, username: z.optional(str), role: z.optional(str), scopes: z.array(str) });
export type Session = z.infer<typeof Session>;

/** An RFC 9457 problem. */
export const Problem = z.object({
  code: z.optional(str),
  title: z.optional(str),
  detail: z.optional(str),
  status: z.optional(num),
  errors: z.optional(z.array(z.object({ path: z.optional(str), message: z.optional(str) }))),
});

export const Series = z.object({ key: str, total: num, buckets: z.array(num) });
export type Series = z.infer<typeof Series>;
const ByDimension = z.object({
  partner: z.array(Series),
  warehouse: z.array(Series),
  channel: z.array(Series),
  messageType: z.array(Series),
});
export type ByDimension = z.infer<typeof ByDimension>;
const Measure = z.object({ total: num, buckets: z.array(num), by: ByDimension });
const GroupLag = z.object({ group: str, topic: str, lag: num, parked: num, deadLetters: num });
const KeyCount = z.object({ key: str, open: num, overdue: num });

/** GET /ops/dashboard */
export const Dashboard = z.object({
  from: num,
  to: num,
  bucketMs: num,
  bucketStarts: z.array(num),
  throughput: Measure,
  failures: Measure,
  failureRate: z.object({ overall: num, buckets: z.array(num) }),
  slaBreaches: Measure,
  lag: z.object({ total: num, parked: num, deadLetters: num, groups: z.array(GroupLag) }),
  exceptions: z.object({ open: num, overdue: num, byCategory: z.array(KeyCount), byOwner: z.array(KeyCount) }),
});
export type Dashboard = z.infer<typeof Dashboard>;

export const SearchHit = z.object({ kind: str, id: str, label: nstr, matchedKey: z.optional(str), lastMilestone: nstr, lastAt: nstr });
export type SearchHit = z.infer<typeof SearchHit>;
export const SearchAnswer = z.object({ hits: z.array(SearchHit) });
export const RecentAnswer = z.object({ items: z.array(SearchHit) });

export const Clock = z.object({
  id: z.union([str, num]),
  rule: str,
  target: str,
  startedAt: z.union([str, num]),
  dueAt: z.union([str, num]),
  status: str,
  metAt: z.optional(z.nullable(z.union([str, num]))),
  breachedAt: z.optional(z.nullable(z.union([str, num]))),
  exceptionId: ostr,
});
export type Clock = z.infer<typeof Clock>;

export const Milestone = z.object({
  milestone: str,
  system: nstr,
  at: str,
  latencyMs: nnum,
  eventType: str,
  eventId: str,
  correlationid: ostr,
  detail: z.optional(z.record(str, z.unknown())),
});
export type Milestone = z.infer<typeof Milestone>;

/** GET /ops/timelines/{kind}/{id} */
export const Timeline = z.object({
  kind: str,
  id: str,
  label: nstr,
  partner: ostr,
  channel: ostr,
  warehouse: ostr,
  correlationid: ostr,
  lastMilestone: nstr,
  milestones: z.array(Milestone),
  keys: z.array(z.object({ type: str, value: str })),
  sla: z.array(Clock),
  exceptions: z.array(z.object({ id: str, category: str, status: str, title: str, openedAt: str })),
});
export type Timeline = z.infer<typeof Timeline>;

const HistoryEntry = z.object({ at: num, actor: str, action: str, note: ostr });

/** One exception, as listed and as read with its history. */
export const Exception = z.object({
  id: str,
  category: str,
  severity: str,
  status: str,
  title: str,
  detail: z.optional(z.unknown()),
  subject: nstr,
  partner: nstr,
  warehouse: nstr,
  channel: nstr,
  owner: nstr,
  occurrences: num,
  actions: z.optional(z.array(z.record(str, z.unknown()))),
  available: z.array(str),
  openedAt: num,
  dueAt: nnum,
  ageMs: num,
  overdue: z.boolean(),
  resolution: nstr,
  resolvedBy: nstr,
  history: z.optional(z.array(HistoryEntry)),
});
export type Exception = z.infer<typeof Exception>;
export const ExceptionList = z.object({ items: z.array(Exception) });
export const ActionAnswer = z.object({ ok: z.boolean(), action: str, result: z.optional(z.unknown()), exception: Exception });
export const BulkAnswer = z.object({
  succeeded: num,
  failed: num,
  results: z.array(z.object({ id: str, ok: z.boolean(), error: z.optional(z.object({ code: str, message: str })) })),
});

/** GET /ops/dead-letters */
export const DeadLetter = z.object({
  id: num,
  group: str,
  topic: str,
  envelope: z.object({ id: str, type: str, subject: z.optional(str), data: z.optional(z.unknown()) }),
  errorCode: nstr,
  errorClass: ostr,
  errorMessage: nstr,
  attempts: num,
  deadAt: str,
  redrivenAt: nstr,
});
export type DeadLetter = z.infer<typeof DeadLetter>;
export const DeadLetterList = z.object({ items: z.array(DeadLetter) });
export const RedriveAnswer = z.object({ redriven: num });
export const ReplayAnswer = z.object({ events: num });

const EdiHealth = z.object({ pendingAcks: num, overdueAcks: num, rejected24h: num, lastInterchangeAt: z.nullable(z.union([str, num])) });
/** GET /ops/partners */
export const PartnerHealth = z.object({
  id: str,
  name: nstr,
  plan: nstr,
  status: str,
  openExceptions: num,
  overdueExceptions: num,
  slaBreaches24h: num,
  edi: EdiHealth,
  health: str,
});
export type PartnerHealth = z.infer<typeof PartnerHealth>;
export const PartnerList = z.object({ items: z.array(PartnerHealth) });

/** GET /ops/connectors */
export const ConnectorHealth = z.object({
  connector: str,
  instance: str,
  credentials: z.optional(z.unknown()),
  cursors: z.array(z.object({ trigger: str, updatedAt: z.union([str, num]) })),
  webhooks24h: z.object({ accepted: num, rejected: num, failed: num, duplicates: num, lastAt: z.nullable(z.union([str, num])) }),
  openExceptions: num,
  health: str,
});
export type ConnectorHealth = z.infer<typeof ConnectorHealth>;
export const ConnectorList = z.object({ items: z.array(ConnectorHealth) });

/** GET /ops/edi/interchanges */
export const Interchange = z.object({
  direction: str,
  partner: str,
  standard: nstr,
  interchangeControl: nstr,
  groupControl: nstr,
  transactionControl: nstr,
  documentType: nstr,
  documentId: nstr,
  at: z.union([str, num]),
  ack: z.nullable(
    z.object({
      status: str,
      dueAt: z.nullable(z.union([str, num])),
      ackedAt: z.nullable(z.union([str, num])),
      overdue: z.boolean(),
      detail: z.optional(z.unknown()),
    }),
  ),
});
export type Interchange = z.infer<typeof Interchange>;
export const InterchangeList = z.object({ items: z.array(Interchange) });

const ExplainStep = z.object({ step: str, quantity: num, detail: z.optional(z.unknown()) });
/** GET /ops/availability/explain */
export const AvailabilityAnswer = z.object({
  channel: str,
  customer: z.optional(str),
  asOf: str,
  items: z.array(
    z.object({
      item: str,
      available: num,
      locations: z.array(z.object({ location: str, available: num, explain: z.optional(z.array(ExplainStep)) })),
    }),
  ),
});
export type AvailabilityAnswer = z.infer<typeof AvailabilityAnswer>;
