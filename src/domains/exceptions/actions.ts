import { z } from 'zod';
import { makeEvent } from '../../canonical/index.js';
import type { EventLog } from '../../eventlog/index.js';
import { CrossdockError, defineError, errorCode, errorMessage } from '../../kernel/index.js';
import { type ExceptionAction, ExceptionErrors, type ExceptionQueue, type ExceptionView } from './exceptions.js';

export const ExceptionActionErrors = {
  unavailable: defineError('CD_ERR_EXCEPTION_ACTION_UNAVAILABLE', {
    class: 'business',
    title: 'This action is not offered for this exception',
  }),
} as const;

/** What an operator asks for; `retry`, `replay` and `resubmit` run the exception's own offered actions. */
export const ActionRequest = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('retry'), note: z.string().max(2000).optional() }),
  z.strictObject({ action: z.literal('replay'), note: z.string().max(2000).optional() }),
  z.strictObject({
    action: z.literal('resubmit'),
    /** The corrected payload; validated against the event type's schema before anything is published. */
    payload: z.unknown(),
    note: z.string().max(2000).optional(),
  }),
  z.strictObject({ action: z.literal('resolve'), reason: z.string().min(1).max(2000) }),
  z.strictObject({ action: z.literal('assign'), owner: z.string().min(1).max(200) }),
]);
export type ActionRequest = z.infer<typeof ActionRequest>;

/** The result of one action on one exception. */
export interface ActionOutcome {
  id: string;
  ok: boolean;
  action: ActionRequest['action'];
  /** What happened (events replayed, the resubmitted event id…). */
  result?: Record<string, unknown>;
  error?: { code: string; message: string; path?: string };
}

/** Runs an offered action of a kind other modules own (retry-flow, release-hold): registered by them. */
export type ActionHandler = (action: ExceptionAction, exception: ExceptionView, actor: string) => Promise<Record<string, unknown>>;

/**
 * Runs operators' actions on exceptions and records each in the exception's history. Replay, dead
 * letter redrive and edit-and-resubmit run on the event log; `retry-flow` and `release-hold` run
 * through handlers the flows module registers.
 */
export class ExceptionActions {
  private readonly handlers = new Map<ExceptionAction['kind'], ActionHandler>();

  constructor(
    private readonly queue: ExceptionQueue,
    private readonly eventlog: EventLog,
  ) {}

  /** Registers the runner of an action kind (e.g. the flows module for `retry-flow`). */
  register(kind: ExceptionAction['kind'], handler: ActionHandler): void {
    this.handlers.set(kind, handler);
  }

  /** The operator actions this exception supports right now. */
  available(e: ExceptionView): Array<ActionRequest['action']> {
    if (e.status !== 'open') return [];
    const out: Array<ActionRequest['action']> = ['resolve', 'assign'];
    if (e.actions.some(isRetry)) out.push('retry');
    if (e.actions.some((a) => a.kind === 'replay')) out.push('replay');
    if (e.actions.some((a) => a.kind === 'edit-and-resubmit')) out.push('resubmit');
    return out;
  }

  async run(id: string, request: ActionRequest, actor: string): Promise<ActionOutcome> {
    const e = await this.queue.get(id);
    switch (request.action) {
      case 'resolve':
        await this.queue.resolve(id, request.reason, actor);
        return { id, ok: true, action: 'resolve' };
      case 'assign':
        await this.queue.assign(id, request.owner, actor);
        return { id, ok: true, action: 'assign', result: { owner: request.owner } };
      case 'retry': {
        this.ensureOpen(e);
        const a = e.actions.find(isRetry);
        if (!a) throw ExceptionActionErrors.unavailable(`exception ${id} offers no retry`, { path: 'action' });
        const result = await this.runOffered(a, e, actor);
        await this.queue.note(id, actor, 'retried', request.note ?? describe(a));
        return { id, ok: true, action: 'retry', result };
      }
      case 'replay': {
        this.ensureOpen(e);
        const a = e.actions.find((x) => x.kind === 'replay');
        if (!a) throw ExceptionActionErrors.unavailable(`exception ${id} offers no replay`, { path: 'action' });
        const result = await this.runOffered(a, e, actor);
        await this.queue.note(id, actor, 'replayed', request.note ?? describe(a));
        return { id, ok: true, action: 'replay', result };
      }
      case 'resubmit': {
        this.ensureOpen(e);
        const a = e.actions.find((x) => x.kind === 'edit-and-resubmit');
        if (a?.kind !== 'edit-and-resubmit')
          throw ExceptionActionErrors.unavailable(`exception ${id} offers no resubmit`, { path: 'action' });
        const partitionkey = typeof e.detail.partitionkey === 'string' ? e.detail.partitionkey : e.subject;
        const event = makeEvent({
          type: a.schema,
          source: 'crossdock://ops/console',
          data: request.payload,
          partitionkey,
          subject: e.subject,
          ...(e.correlationid ? { correlationid: e.correlationid } : {}),
          ...(typeof e.detail.eventId === 'string' ? { causationid: e.detail.eventId } : {}),
        });
        // The event log validates the envelope and its data against the type's schema: a bad edit
        // is refused here, naming the field, and nothing is published.
        const [published] = await this.eventlog.publish(a.target, [event]);
        await this.queue.note(id, actor, 'resubmitted', request.note ?? `published ${event.id} to ${a.target}`);
        await this.queue.resolve(id, `resubmitted as event ${event.id}`, actor);
        return { id, ok: true, action: 'resubmit', result: { eventId: event.id, topic: a.target, offset: published?.offset ?? null } };
      }
    }
  }

  /** Runs one request on many exceptions; each succeeds or fails on its own. */
  async bulk(ids: readonly string[], request: ActionRequest, actor: string): Promise<ActionOutcome[]> {
    const out: ActionOutcome[] = [];
    for (const id of ids) {
      try {
        out.push(await this.run(id, request, actor));
      } catch (err) {
        const path = err instanceof CrossdockError && typeof err.details.path === 'string' ? err.details.path : undefined;
        out.push({
          id,
          ok: false,
          action: request.action,
          error: { code: errorCode(err), message: errorMessage(err), ...(path ? { path } : {}) },
        });
      }
    }
    return out;
  }

  private ensureOpen(e: ExceptionView): void {
    if (e.status !== 'open') throw ExceptionErrors.closed(`exception ${e.id} is already resolved`);
  }

  private async runOffered(a: ExceptionAction, e: ExceptionView, actor: string): Promise<Record<string, unknown>> {
    if (a.kind === 'replay') {
      const r = await this.eventlog.replay({ group: a.group, topic: a.topic, partition: a.partition, fromOffset: a.fromOffset });
      return { events: r.events };
    }
    if (a.kind === 'redrive-dead-letter') {
      const n = await this.eventlog.redrive({ ids: [a.id] });
      return { redriven: n };
    }
    const handler = this.handlers.get(a.kind);
    if (!handler) throw ExceptionActionErrors.unavailable(`no handler for ${a.kind} is running in this hub`, { path: 'action' });
    return handler(a, e, actor);
  }
}

/** The offered actions an operator's "retry" runs. */
function isRetry(a: ExceptionAction): boolean {
  return a.kind === 'retry-flow' || a.kind === 'redrive-dead-letter' || a.kind === 'release-hold' || a.kind === 'replay-webhooks';
}

function describe(a: ExceptionAction): string {
  switch (a.kind) {
    case 'retry-flow':
      return `retried flow ${a.flow}/${a.key}`;
    case 'redrive-dead-letter':
      return `redrove dead letter ${a.id}`;
    case 'replay':
      return `replayed ${a.topic}[${a.partition}] from ${a.fromOffset} for ${a.group}`;
    case 'release-hold':
      return `sent ${a.signal} to ${a.flow}/${a.key}`;
    case 'edit-and-resubmit':
      return `resubmitted to ${a.target}`;
    case 'replay-webhooks':
      return `replayed the dead deliveries of webhook subscription ${a.subscriptionId}`;
  }
}
