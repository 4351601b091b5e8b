import { z } from 'zod';
import { OwnerRule } from '../domains/exceptions/index.js';
import { Errors } from '../kernel/index.js';

/** `90s`, `2m`, `48h`, `1d` or a number of milliseconds. */
export const Duration = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d)$/, 'expected a duration such as 90s, 2m, 48h, 1d')
    .transform((text) => {
      const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(text);
      const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m?.[2] ?? 'ms'] ?? 1;
      return Math.round(Number(m?.[1] ?? 0) * unit);
    }),
]);

/** Where the canonical events the timelines follow are published by default. */
export const TIMELINE_TOPICS = [
  'orders',
  'purchaseorders',
  'purchasing',
  'inventory',
  'returns',
  'shipments',
  'invoices',
  'asns',
  'receipts',
  'milestones',
];

export const EntityKind = z.enum(['order', 'purchaseorder', 'return']);
export type EntityKind = z.infer<typeof EntityKind>;

/**
 * An SLA: once `kind`'s `from` milestone is recorded, `to` must follow within `within` (or by the
 * date found at `deadlineField` in the starting event's data, e.g. a PO's requestedDeliveryDate for
 * "ASN before arrival"). Filters narrow it to a partner, channel or warehouse; the most specific
 * matching rule per (kind, to) wins, so a partner's own promise overrides the default.
 */
export const SlaRule = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    kind: EntityKind,
    from: z.string().min(1),
    to: z.string().min(1),
    within: Duration.optional(),
    deadlineField: z.string().min(1).optional(),
    partner: z.string().optional(),
    channel: z.string().optional(),
    warehouse: z.string().optional(),
    severity: z.enum(['low', 'medium', 'high', 'critical']).default('high'),
    /** How long operations have to act on the breach (the exception's own SLA). */
    resolveWithin: Duration.optional(),
  })
  .refine((r) => r.within !== undefined || r.deadlineField !== undefined, { message: 'an SLA rule needs within or deadlineField' });
export type SlaRule = z.infer<typeof SlaRule>;

/** Default exception SLA per category prefix: the first matching entry sets `dueInMs` when raising. */
export const DueRule = z.strictObject({ categoryPrefix: z.string(), within: Duration });
export type DueRule = z.infer<typeof DueRule>;

/** The `observability:` section of crossdock.config.yaml. */
export const ObservabilityConfig = z
  .strictObject({
    tracing: z
      .strictObject({
        /** OTLP/HTTP traces endpoint, e.g. http://collector:4318/v1/traces. Tracing is off without it. */
        otlpEndpoint: z.string().url().optional(),
        serviceName: z.string().min(1).default('crossdock'),
        /** Extra headers for the collector (an API key). */
        headers: z.record(z.string(), z.string()).default({}),
      })
      .default({ serviceName: 'crossdock', headers: {} }),
    timelines: z
      .strictObject({
        /** Topics the timeline projection reads milestones from. */
        topics: z.array(z.string().min(1)).default([...TIMELINE_TOPICS]),
      })
      .default({ topics: [...TIMELINE_TOPICS] }),
    sla: z.array(SlaRule).default([]),
    exceptions: z
      .strictObject({
        ownerRules: z.array(OwnerRule).default([]),
        due: z.array(DueRule).default([]),
        /** Dead letters become exceptions (category eventlog.dead-letter) that close when redriven. */
        deadLetters: z.boolean().default(true),
      })
      .default({ ownerRules: [], due: [], deadLetters: true }),
    /** How often the leader checks SLA clocks and dead letters. */
    tickMs: z.number().int().min(10).max(60_000).default(1000),
  })
  .default({
    tracing: { serviceName: 'crossdock', headers: {} },
    timelines: { topics: [...TIMELINE_TOPICS] },
    sla: [],
    exceptions: { ownerRules: [], due: [], deadLetters: true },
    tickMs: 1000,
  });
export type ObservabilityConfig = z.infer<typeof ObservabilityConfig>;

/** Validates the raw `observability` section; a bad value is a config error naming its key. */
export function parseObservabilityConfig(raw: unknown): ObservabilityConfig {
  const parsed = ObservabilityConfig.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['observability', ...(issue?.path ?? []).map(String)].join('.');
    throw Errors.config(`${path}: ${issue?.message ?? 'invalid'}`, { path });
  }
  return parsed.data;
}
