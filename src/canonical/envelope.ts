import { z } from 'zod';
import { Errors, newId } from '../kernel/index.js';

/**
 * The event envelope: a CloudEvents 1.0 structured event (https://github.com/cloudevents/spec)
 * with crossdock's extension attributes. Extension names follow the spec's rule: lower-case
 * letters and digits only, at most 20 characters.
 */
export const EVENT_TYPE_PATTERN = /^crossdock\.[a-z0-9_]+(\.[a-z0-9_]+)*\.v[0-9]+$/;

// RFC 3339 timestamp with a zone (Z or offset), as CloudEvents requires for `time`.
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
// W3C trace context: version-traceid-parentid-flags.
const traceparentPattern = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

export const envelopeSchema = z
  .object({
    specversion: z.literal('1.0'),
    id: z.string().min(1).max(200),
    source: z.string().min(1).max(500),
    type: z.string().regex(EVENT_TYPE_PATTERN, 'expected crossdock.<name>.v<major>'),
    subject: z.string().min(1).max(500).optional(),
    time: z.string().regex(rfc3339, 'expected an RFC 3339 timestamp with zone'),
    datacontenttype: z.literal('application/json').default('application/json'),
    dataschema: z.string().min(1).optional(),
    data: z.unknown(),
    partitionkey: z.string().min(1).max(500),
    correlationid: z.string().min(1).max(200),
    causationid: z.string().min(1).max(200).optional(),
    traceparent: z.string().regex(traceparentPattern, 'expected a W3C traceparent').optional(),
    idempotencykey: z.string().min(1).max(500).optional(),
  })
  .strict();

export type Envelope<D = unknown> = Omit<z.infer<typeof envelopeSchema>, 'data'> & { data: D };

/** An event type: its name (with major version) and the schema its data must satisfy. */
export interface EventType<S extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly schema: S;
  /** The `dataschema` URI written into envelopes of this type. */
  readonly dataschema: string;
  readonly description: string;
}

export function defineEventType<S extends z.ZodType>(spec: { type: string; schema: S; description: string }): EventType<S> {
  if (!EVENT_TYPE_PATTERN.test(spec.type)) {
    throw new Error(`event type ${spec.type} must match crossdock.<name>.v<major>`);
  }
  return { ...spec, dataschema: `urn:crossdock:schema:${spec.type}` };
}

/** The event types a hub accepts. Publishing an unregistered type is refused. */
export class EventCatalog {
  private readonly types = new Map<string, EventType>();

  constructor(types: Iterable<EventType> = []) {
    for (const t of types) this.register(t);
  }

  register(eventType: EventType): this {
    const existing = this.types.get(eventType.type);
    if (existing && existing !== eventType) throw new Error(`event type ${eventType.type} registered twice`);
    this.types.set(eventType.type, eventType);
    return this;
  }

  get(type: string): EventType | undefined {
    return this.types.get(type);
  }

  list(): EventType[] {
    return [...this.types.values()].sort((a, b) => a.type.localeCompare(b.type));
  }

  /**
   * Checks an envelope and its data against its type's schema. Returns the parsed envelope
   * (defaults filled) or throws a permanent error naming the first bad field.
   *
   * `dataParsed`: the caller already parsed the data with the type's schema, or with one derived
   * from it by omitting fields it then filled with valid values (the order API parses the request
   * with the order schema minus its server fields): the envelope and the type are still checked,
   * the data is taken as it is.
   */
  validate(candidate: unknown, options: { dataParsed?: boolean } = {}): Envelope {
    const parsed = envelopeSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue ? issue.path.map(String).join('.') : '';
      throw Errors.validation(`envelope field ${path || '(root)'}: ${issue?.message ?? 'invalid'}`, {
        path,
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      });
    }
    const envelope = parsed.data;
    const eventType = this.types.get(envelope.type);
    if (!eventType) {
      throw Errors.unknownEventType(`unknown event type ${envelope.type}`, { path: 'type', type: envelope.type });
    }
    if (options.dataParsed) return { ...envelope, dataschema: envelope.dataschema ?? eventType.dataschema };
    const data = eventType.schema.safeParse(envelope.data);
    if (!data.success) {
      const issue = data.error.issues[0];
      const path = ['data', ...(issue?.path ?? []).map(String)].join('.');
      throw Errors.validation(`${envelope.type} ${path}: ${issue?.message ?? 'invalid'}`, {
        path,
        issues: data.error.issues.map((i) => ({ path: ['data', ...i.path.map(String)].join('.'), message: i.message })),
      });
    }
    return { ...envelope, data: data.data, dataschema: envelope.dataschema ?? eventType.dataschema };
  }
}

export interface NewEventInput<D> {
  type: string;
  source: string;
  data: D;
  partitionkey: string;
  subject?: string;
  correlationid?: string;
  causationid?: string;
  traceparent?: string;
  idempotencykey?: string;
  id?: string;
  time?: string;
}

/** Builds an envelope with a fresh id and time; correlation defaults to the event's own id. */
export function makeEvent<D>(input: NewEventInput<D>, now: number = Date.now()): Envelope<D> {
  const id = input.id ?? newId(now);
  const envelope: Envelope<D> = {
    specversion: '1.0',
    id,
    source: input.source,
    type: input.type,
    time: input.time ?? new Date(now).toISOString(),
    datacontenttype: 'application/json',
    data: input.data,
    partitionkey: input.partitionkey,
    correlationid: input.correlationid ?? id,
  };
  if (input.subject !== undefined) envelope.subject = input.subject;
  if (input.causationid !== undefined) envelope.causationid = input.causationid;
  if (input.traceparent !== undefined) envelope.traceparent = input.traceparent;
  if (input.idempotencykey !== undefined) envelope.idempotencykey = input.idempotencykey;
  return envelope;
}

/** An event caused by another: same correlation, causation pointing at the cause, trace carried on. */
export function causedBy<D>(cause: Envelope, input: Omit<NewEventInput<D>, 'correlationid' | 'causationid'>, now?: number): Envelope<D> {
  return makeEvent(
    {
      ...input,
      correlationid: cause.correlationid,
      causationid: cause.id,
      ...(cause.traceparent !== undefined && input.traceparent === undefined ? { traceparent: cause.traceparent } : {}),
    },
    now,
  );
}
