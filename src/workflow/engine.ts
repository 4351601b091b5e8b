import type { RetryPolicy } from '../eventlog/index.js';
import {
  backoffMs,
  type Clock,
  CrossdockError,
  classify,
  type ErrorClass,
  errorCode,
  errorMessage,
  type Logger,
  newId,
  systemClock,
} from '../kernel/index.js';
import type { Store, Tx } from '../store/index.js';
import type { FlowContext, FlowDefinition, InstanceStatus, StepInfo, StepOptions, WaitResult } from './define.js';
import { WorkflowErrors } from './errors.js';

/** Wraps the execution of every step in this process (the observability module traces steps with it). */
export type StepObserver = <T>(info: StepInfo, run: () => Promise<T>) => Promise<T>;
let stepObserver: StepObserver | undefined;

/** Installs (or, with undefined, removes) the process's step observer. */
export function observeSteps(observer: StepObserver | undefined): void {
  stepObserver = observer;
}

/** Thrown inside flow code to suspend the instance; never seen by flow authors. */
class Suspend {
  constructor(
    readonly wakeAt: number | null,
    readonly waiting?: { type: string; key: string },
  ) {}
}

/** Thrown in compensation mode when the replay reaches work that was never done. */
class StopReplay {}

/** Shared by a run's context and the engine: the interruption the context raised, if any. */
interface Control {
  interrupt: Suspend | StopReplay | undefined;
}

interface StepRow {
  step: string;
  seq: number;
  kind: string;
  status: string;
  result: string | null;
  error: string | null;
  attempts: number;
  has_compensation: number;
  compensated: number;
}

interface SerializedError {
  code: string;
  class: ErrorClass;
  message: string;
  details?: Record<string, unknown>;
}

function serializeError(err: unknown): string {
  const e: SerializedError = {
    code: errorCode(err),
    class: classify(err),
    message: errorMessage(err),
    ...(err instanceof CrossdockError ? { details: err.details } : {}),
  };
  return JSON.stringify(e);
}

function reviveError(text: string | null): CrossdockError {
  const e = JSON.parse(text ?? '{}') as Partial<SerializedError>;
  return new CrossdockError(e.code ?? 'CD_ERR_INTERNAL', e.class ?? 'permanent', e.message ?? 'unknown error', e.details ?? {});
}

function parseJson<T>(text: string | null): T {
  return (text === null ? undefined : JSON.parse(text)) as T;
}

export interface WorkflowEngineOptions {
  store: Store;
  logger: Logger;
  clock?: Clock;
  /** This process's name in leases (one process runs an instance at a time). */
  owner?: string;
  leaseMs?: number;
  pollIntervalMs?: number;
  /** Instances run at once by this process. */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
}

export interface InstanceView {
  flow: string;
  key: string;
  version: number;
  status: InstanceStatus;
  input: unknown;
  output: unknown;
  error: { code: string; class: ErrorClass; message: string } | null;
  correlationid: string;
  wakeAt: number | null;
  waitingFor: { type: string; key: string } | null;
  steps: Array<{ step: string; kind: string; status: string; attempts: number; compensated: boolean; error: string | null }>;
}

const FINAL: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

/**
 * The durable workflow engine (ARCHITECTURE §5.4). Flow code re-runs from the top whenever the
 * instance wakes; steps already journaled return their saved result, so only new work runs.
 */
export class WorkflowEngine {
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly concurrency: number;
  private readonly retry: RetryPolicy;
  // biome-ignore lint/suspicious/noExplicitAny: flows of any input/output type share one registry
  private readonly flows = new Map<string, Map<number, FlowDefinition<any, any>>>();
  private running = new Set<Promise<void>>();
  private loop: Promise<void> | undefined;
  private stopped = true;
  private wake: (() => void) | undefined;

  constructor(options: WorkflowEngineOptions) {
    this.store = options.store;
    this.logger = options.logger.child({ component: 'workflow' });
    this.clock = options.clock ?? systemClock;
    this.owner = options.owner ?? `${process.pid}-${newId().slice(-6)}`;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.concurrency = options.concurrency ?? 16;
    this.retry = { maxAttempts: 8, baseMs: 250, maxMs: 60_000, ...options.retry };
  }

  register<I, O>(flow: FlowDefinition<I, O>): this {
    const versions = this.flows.get(flow.name) ?? new Map();
    if (versions.has(flow.version)) throw new Error(`flow ${flow.name} v${flow.version} registered twice`);
    versions.set(flow.version, flow);
    this.flows.set(flow.name, versions);
    return this;
  }

  // biome-ignore lint/suspicious/noExplicitAny: see flows
  private definition(name: string, version?: number): FlowDefinition<any, any> {
    const versions = this.flows.get(name);
    if (!versions || versions.size === 0) throw WorkflowErrors.unknownFlow(`no flow named ${name} is registered`, { flow: name });
    const v = version ?? Math.max(...versions.keys());
    const def = versions.get(v);
    if (!def)
      throw WorkflowErrors.unknownFlow(`flow ${name} v${v} is not registered (running instances need their version)`, {
        flow: name,
        version: v,
      });
    return def;
  }

  /**
   * Starts an instance for the input's business key. A second start for the same key does nothing
   * and says so (`started: false`): one instance per key, ever.
   */
  async start<I, O>(
    flow: FlowDefinition<I, O>,
    input: unknown,
    options: { correlationid?: string; tx?: Tx; parent?: { flow: string; key: string; step: string } } = {},
  ): Promise<{ key: string; started: boolean }> {
    const def = this.definition(flow.name);
    const parsed = def.input.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.map(String).join('.') ?? '';
      throw WorkflowErrors.badInput(`${def.name} input ${path || '(root)'}: ${issue?.message ?? 'invalid'}`, { path });
    }
    const key: string = def.key(parsed.data);
    const now = this.clock.now();
    const started = await this.store.transaction(async (tx) => {
      const result = await tx.db
        .insertInto('wf_instances')
        .values({
          flow: def.name,
          key,
          version: def.version,
          status: 'running',
          input: JSON.stringify(parsed.data),
          output: null,
          error: null,
          correlationid: options.correlationid ?? newId(now),
          parent_flow: options.parent?.flow ?? null,
          parent_key: options.parent?.key ?? null,
          parent_step: options.parent?.step ?? null,
          wake_at: now,
          waiting_type: null,
          waiting_key: null,
          lease_owner: null,
          lease_until: null,
          cancel_reason: null,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(['flow', 'key']).doNothing())
        .executeTakeFirst();
      const inserted = Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
      if (inserted) tx.afterCommit(() => this.wake?.());
      return inserted;
    }, options.tx);
    return { key, started };
  }

  /**
   * Delivers an event to flows waiting for (type, key), or keeps it until one asks. An id makes a
   * redelivered signal harmless.
   */
  async signal(type: string, key: string, payload: unknown, options: { id?: string; tx?: Tx } = {}): Promise<boolean> {
    const id = options.id ?? newId(this.clock.now());
    return this.store.transaction(async (tx) => {
      const result = await tx.db
        .insertInto('wf_signals')
        .values({ id, type, key, payload: JSON.stringify(payload ?? null), received_at: this.clock.now(), consumed_by: null })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
      await tx.db
        .updateTable('wf_instances')
        .set({ wake_at: this.clock.now(), updated_at: this.clock.now() })
        .where('status', '=', 'suspended')
        .where('waiting_type', '=', type)
        .where('waiting_key', '=', key)
        .execute();
      tx.afterCommit(() => this.wake?.());
      return true;
    }, options.tx);
  }

  /** Cancels an instance: its completed steps are compensated in reverse order. */
  async cancel(flow: string, key: string, reason: string): Promise<void> {
    const row = await this.instanceRow(flow, key);
    if (FINAL.has(row.status))
      throw WorkflowErrors.badState(`${flow}/${key} is ${row.status}; it cannot be cancelled`, { status: row.status });
    await this.store.db
      .updateTable('wf_instances')
      .set({ cancel_reason: reason, wake_at: this.clock.now(), updated_at: this.clock.now() })
      .where('flow', '=', flow)
      .where('key', '=', key)
      .execute();
    this.wake?.();
  }

  /** Runs a failed instance again from the step that failed (an operator's "retry"). */
  async retryInstance(flow: string, key: string): Promise<void> {
    const row = await this.instanceRow(flow, key);
    if (row.status !== 'failed') throw WorkflowErrors.badState(`${flow}/${key} is ${row.status}; only a failed instance can be retried`);
    await this.store.transaction(async (tx) => {
      await tx.db.deleteFrom('wf_steps').where('flow', '=', flow).where('key', '=', key).where('status', '=', 'failed').execute();
      await tx.db.updateTable('wf_steps').set({ compensated: 0 }).where('flow', '=', flow).where('key', '=', key).execute();
      await tx.db
        .updateTable('wf_instances')
        .set({ status: 'running', error: null, wake_at: this.clock.now(), updated_at: this.clock.now() })
        .where('flow', '=', flow)
        .where('key', '=', key)
        .execute();
    });
    this.wake?.();
  }

  private async instanceRow(flow: string, key: string) {
    const row = await this.store.db
      .selectFrom('wf_instances')
      .selectAll()
      .where('flow', '=', flow)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) throw WorkflowErrors.unknownFlow(`no instance ${flow}/${key}`, { flow, key });
    return row;
  }

  async get(flow: string, key: string): Promise<InstanceView | undefined> {
    const row = await this.store.db
      .selectFrom('wf_instances')
      .selectAll()
      .where('flow', '=', flow)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    const steps = await this.store.db
      .selectFrom('wf_steps')
      .selectAll()
      .where('flow', '=', flow)
      .where('key', '=', key)
      .orderBy('seq')
      .execute();
    return {
      flow: row.flow,
      key: row.key,
      version: row.version,
      status: row.status as InstanceStatus,
      input: parseJson(row.input),
      output: parseJson(row.output),
      error: row.error ? reviveError(row.error).toJSON() : null,
      correlationid: row.correlationid,
      wakeAt: row.wake_at,
      waitingFor: row.waiting_type && row.waiting_key ? { type: row.waiting_type, key: row.waiting_key } : null,
      steps: steps.map((s) => ({
        step: s.step,
        kind: s.kind,
        status: s.status,
        attempts: s.attempts,
        compensated: s.compensated === 1,
        error: s.error ? reviveError(s.error).message : null,
      })),
    };
  }

  startWorkers(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = (async () => {
      while (!this.stopped) {
        let claimed = 0;
        try {
          claimed = await this.tick();
        } catch (err) {
          this.logger.error({ err }, 'workflow poll failed');
        }
        if (claimed === 0 && !this.stopped) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(done, this.pollIntervalMs);
            const self = this;
            function done() {
              clearTimeout(timer);
              self.wake = undefined;
              resolve();
            }
            this.wake = done;
          });
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await Promise.all(this.running);
  }

  /** Claims due instances up to the free concurrency and runs them. Returns how many it claimed. */
  async tick(): Promise<number> {
    const free = this.concurrency - this.running.size;
    if (free <= 0) {
      await Promise.race(this.running);
      return 1;
    }
    const now = this.clock.now();
    const due = await this.store.db
      .selectFrom('wf_instances')
      .select(['flow', 'key'])
      .where('status', 'in', ['running', 'suspended', 'compensating'])
      .where('wake_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('wake_at')
      .limit(free)
      .execute();
    let claimed = 0;
    for (const d of due) {
      const lease = await this.store.db
        .updateTable('wf_instances')
        .set({ lease_owner: this.owner, lease_until: now + this.leaseMs })
        .where('flow', '=', d.flow)
        .where('key', '=', d.key)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .executeTakeFirst();
      if (Number(lease.numUpdatedRows) !== 1) continue;
      claimed += 1;
      const run = this.execute(d.flow, d.key)
        .catch((err: unknown) => this.logger.error({ err, flow: d.flow, key: d.key }, 'instance run failed'))
        .finally(() => this.running.delete(run));
      this.running.add(run);
    }
    return claimed;
  }

  /** Runs until no instance is due (tests and tools). Instances sleeping into the future are not waited for. */
  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = this.clock.now();
      const due = await this.store.db
        .selectFrom('wf_instances')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', ['running', 'suspended', 'compensating'])
        .where('wake_at', '<=', now)
        .executeTakeFirstOrThrow();
      if (Number(due.n) === 0 && this.running.size === 0) return;
      if (Date.now() > deadline) throw new Error(`workflow engine still busy after ${timeoutMs} ms (${due.n} due)`);
      if (this.stopped) await this.tick();
      if (this.running.size > 0) await Promise.race(this.running);
      else await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** Runs one claimed instance until it completes, fails, or suspends. */
  private async execute(flow: string, key: string): Promise<void> {
    const row = await this.instanceRow(flow, key);
    const def = this.definition(flow, row.version);
    const journal = new Map<string, StepRow>();
    for (const s of await this.store.db.selectFrom('wf_steps').selectAll().where('flow', '=', flow).where('key', '=', key).execute()) {
      journal.set(s.step, s);
    }
    const log = this.logger.child({ flow, key, correlationid: row.correlationid });
    const compensations: Array<{ step: string; undo: () => Promise<void> }> = [];
    const compensating = row.status === 'compensating' || row.cancel_reason !== null;
    const control: Control = { interrupt: undefined };
    const ctx = this.context(def, row, journal, compensations, compensating, control);
    let outcome: { kind: 'done'; output: unknown } | { kind: 'suspend'; s: Suspend } | { kind: 'fail'; err: unknown };
    try {
      const output = await def.run(ctx, parseJson(row.input));
      outcome = { kind: 'done', output };
    } catch (err) {
      outcome = { kind: 'fail', err };
    }
    // The engine's own interruptions win over whatever flow code did with them (a try/catch around
    // a step must not turn a suspension into a result). In compensation mode the replay only
    // collects undos: the instance ends cancelled, or failed with the failure that started it.
    if (compensating) {
      outcome = { kind: 'fail', err: row.cancel_reason !== null ? this.cancelError(row.cancel_reason) : reviveError(row.error) };
    } else if (control.interrupt instanceof Suspend) {
      outcome = { kind: 'suspend', s: control.interrupt };
    }
    const now = this.clock.now();
    if (outcome.kind === 'suspend') {
      const { s } = outcome;
      await this.update(flow, key, {
        status: 'suspended',
        wake_at: s.wakeAt,
        waiting_type: s.waiting?.type ?? null,
        waiting_key: s.waiting?.key ?? null,
      });
      // A signal may have arrived between the check and the suspend: look once more.
      if (s.waiting && (await this.pendingSignal(s.waiting.type, s.waiting.key))) await this.update(flow, key, { wake_at: now });
      return;
    }
    if (outcome.kind === 'done') {
      await this.finish(row, 'completed', JSON.stringify(outcome.output ?? null), null);
      log.debug('flow completed');
      return;
    }
    // Failure or cancellation: undo what was done, newest first.
    const failure = outcome.err;
    const cancelled = row.cancel_reason !== null;
    // The lease stays held while the undos run: the instance is due, and another poller must not
    // claim it (and run the same undos beside this pass) until this pass ends or its lease expires.
    await this.update(flow, key, { status: 'compensating', error: serializeError(failure) }, { keepLease: true });
    for (const c of compensations.reverse()) {
      try {
        await c.undo();
        await this.store.db
          .updateTable('wf_steps')
          .set({ compensated: 1 })
          .where('flow', '=', flow)
          .where('key', '=', key)
          .where('step', '=', c.step)
          .execute();
      } catch (err) {
        if (classify(err) === 'retryable') {
          const attempt = (journal.get(c.step)?.attempts ?? 1) + 1;
          await this.update(flow, key, { status: 'compensating', wake_at: now + backoffMs(attempt, this.retry.baseMs, this.retry.maxMs) });
          log.warn({ step: c.step, err: errorMessage(err) }, 'compensation will be retried');
          return;
        }
        const e = WorkflowErrors.compensationFailed(`undoing step ${c.step} failed: ${errorMessage(err)}; an operator must resolve it`, {
          step: c.step,
          cause: errorMessage(err),
        });
        await this.finish(row, 'failed', null, serializeError(e));
        log.error({ step: c.step, err }, 'compensation failed');
        return;
      }
    }
    await this.finish(row, cancelled ? 'cancelled' : 'failed', null, serializeError(failure));
    log.info({ err: errorMessage(failure), cancelled }, cancelled ? 'flow cancelled' : 'flow failed');
  }

  private cancelError(reason: string | null): CrossdockError {
    return WorkflowErrors.cancelled(`cancelled: ${reason ?? 'no reason given'}`);
  }

  private async pendingSignal(type: string, key: string): Promise<boolean> {
    const row = await this.store.db
      .selectFrom('wf_signals')
      .select('id')
      .where('type', '=', type)
      .where('key', '=', key)
      .where('consumed_by', 'is', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  private async update(
    flow: string,
    key: string,
    set: Partial<{ status: string; wake_at: number | null; waiting_type: string | null; waiting_key: string | null; error: string | null }>,
    options: { keepLease?: boolean } = {},
  ): Promise<void> {
    const lease = options.keepLease ? {} : { lease_owner: null, lease_until: null };
    await this.store.db
      .updateTable('wf_instances')
      .set({ ...set, ...lease, updated_at: this.clock.now() })
      .where('flow', '=', flow)
      .where('key', '=', key)
      .execute();
  }

  /** Final state; a child's end is reported to its parent, which wakes. */
  private async finish(
    row: { flow: string; key: string; parent_flow: string | null; parent_key: string | null; parent_step: string | null },
    status: 'completed' | 'failed' | 'cancelled',
    output: string | null,
    error: string | null,
  ): Promise<void> {
    const now = this.clock.now();
    await this.store.transaction(async (tx) => {
      await tx.db
        .updateTable('wf_instances')
        .set({
          status,
          output,
          error,
          wake_at: null,
          waiting_type: null,
          waiting_key: null,
          lease_owner: null,
          lease_until: null,
          updated_at: now,
        })
        .where('flow', '=', row.flow)
        .where('key', '=', row.key)
        .execute();
      if (row.parent_flow && row.parent_key && row.parent_step) {
        await tx.db
          .updateTable('wf_steps')
          .set({ status: status === 'completed' ? 'done' : 'failed', result: output, error, finished_at: now })
          .where('flow', '=', row.parent_flow)
          .where('key', '=', row.parent_key)
          .where('step', '=', row.parent_step)
          .execute();
        await tx.db
          .updateTable('wf_instances')
          .set({ wake_at: now, updated_at: now })
          .where('flow', '=', row.parent_flow)
          .where('key', '=', row.parent_key)
          .where('status', '=', 'suspended')
          .execute();
      }
      tx.afterCommit(() => this.wake?.());
    });
  }

  private async journal(
    flow: string,
    key: string,
    journal: Map<string, StepRow>,
    step: string,
    set: { kind: string; status: string; result?: string | null; error?: string | null; attempts?: number; hasCompensation?: boolean },
    tx?: Tx,
  ): Promise<void> {
    const existing = journal.get(step);
    const now = this.clock.now();
    const row: StepRow = {
      step,
      seq: existing?.seq ?? journal.size,
      kind: set.kind,
      status: set.status,
      result: set.result !== undefined ? set.result : (existing?.result ?? null),
      error: set.error !== undefined ? set.error : (existing?.error ?? null),
      attempts: set.attempts ?? existing?.attempts ?? 0,
      has_compensation: set.hasCompensation ? 1 : (existing?.has_compensation ?? 0),
      compensated: existing?.compensated ?? 0,
    };
    const finished = set.status === 'done' || set.status === 'failed' ? now : null;
    await this.store.transaction(async (t) => {
      await t.db
        .insertInto('wf_steps')
        .values({ flow, key, ...row, started_at: now, finished_at: finished })
        .onConflict((oc) =>
          oc.columns(['flow', 'key', 'step']).doUpdateSet({
            kind: row.kind,
            status: row.status,
            result: row.result,
            error: row.error,
            attempts: row.attempts,
            has_compensation: row.has_compensation,
            finished_at: finished,
          }),
        )
        .execute();
    }, tx);
    journal.set(step, row);
  }

  private context(
    // biome-ignore lint/suspicious/noExplicitAny: see flows
    def: FlowDefinition<any, any>,
    row: { flow: string; key: string; version: number; correlationid: string },
    journal: Map<string, StepRow>,
    compensations: Array<{ step: string; undo: () => Promise<void> }>,
    compensating: boolean,
    control: Control,
  ): FlowContext {
    const { flow, key } = row;
    const seen = new Set<string>();
    const claim = (id: string) => {
      // Once interrupted, nothing more runs in this pass, even if flow code caught the interruption.
      if (control.interrupt) throw control.interrupt;
      if (seen.has(id)) throw WorkflowErrors.nondeterministic(`${flow}/${key}: step id "${id}" used twice in one run`);
      seen.add(id);
    };
    const interrupt = (signal: Suspend | StopReplay): never => {
      control.interrupt = signal;
      throw signal;
    };
    const info = (step: string, attempt: number): StepInfo => ({
      flow,
      key,
      step,
      attempt,
      idempotencyKey: `${flow}:${key}:${step}`,
      correlationid: row.correlationid,
    });
    const policy = (options?: StepOptions<unknown>): RetryPolicy => ({ ...this.retry, ...def.retry, ...options?.retry });
    const engine = this;

    return {
      flow,
      key,
      version: row.version,
      correlationid: row.correlationid,

      async step<T>(id: string, fn: (i: StepInfo) => Promise<T>, options?: StepOptions<T>): Promise<T> {
        claim(id);
        const j = journal.get(id);
        const register = (result: T | undefined, attempt: number) => {
          const undo = options?.compensate;
          if (undo && !(journal.get(id)?.compensated === 1)) compensations.push({ step: id, undo: () => undo(result, info(id, attempt)) });
        };
        if (j?.status === 'done') {
          const result = parseJson<T>(j.result);
          register(result, j.attempts);
          return result;
        }
        if (j?.status === 'failed') {
          // Its (possibly partial) effect is undone with the rest, on every compensation pass.
          register(undefined, j.attempts);
          throw reviveError(j.error);
        }
        if (compensating) {
          // Started but never finished: its effect may exist, so its undo runs too.
          if (j) register(undefined, j.attempts);
          return interrupt(new StopReplay());
        }
        const attempt = (j?.attempts ?? 0) + 1;
        await engine.journal(flow, key, journal, id, {
          kind: 'step',
          status: 'started',
          attempts: attempt,
          hasCompensation: Boolean(options?.compensate),
        });
        let result: T;
        const call = () => (stepObserver ? stepObserver(info(id, attempt), () => fn(info(id, attempt))) : fn(info(id, attempt)));
        try {
          const timeoutMs = options?.timeoutMs;
          result =
            timeoutMs === undefined
              ? await call()
              : await Promise.race([
                  call(),
                  new Promise<never>((_, reject) =>
                    setTimeout(
                      () => reject(WorkflowErrors.stepTimeout(`step ${id} did not finish within ${timeoutMs} ms`)),
                      timeoutMs,
                    ).unref(),
                  ),
                ]);
        } catch (err) {
          const p = policy(options as StepOptions<unknown> | undefined);
          if (classify(err) === 'retryable' && attempt < p.maxAttempts) {
            await engine.journal(flow, key, journal, id, { kind: 'step', status: 'uncertain', error: serializeError(err) });
            const retryAfter = err instanceof CrossdockError ? (err.retryAfterMs ?? 0) : 0;
            return interrupt(new Suspend(engine.clock.now() + Math.max(retryAfter, backoffMs(attempt, p.baseMs, p.maxMs))));
          }
          // The step failed for good; its (possibly partial) effect is undone with the rest.
          register(undefined, attempt);
          await engine.journal(flow, key, journal, id, { kind: 'step', status: 'failed', error: serializeError(err) });
          throw err;
        }
        await engine.journal(flow, key, journal, id, { kind: 'step', status: 'done', result: JSON.stringify(result ?? null) });
        register(result, attempt);
        return result;
      },

      async sleep(id: string, ms: number): Promise<void> {
        claim(id);
        const j = journal.get(id);
        if (j?.status === 'done') return;
        if (compensating) return interrupt(new StopReplay());
        const now = engine.clock.now();
        const wakeAt = j ? parseJson<number>(j.result) : now + ms;
        if (now >= wakeAt) {
          await engine.journal(flow, key, journal, id, { kind: 'sleep', status: 'done', result: JSON.stringify(wakeAt) });
          return;
        }
        if (!j)
          await engine.journal(flow, key, journal, id, { kind: 'sleep', status: 'started', result: JSON.stringify(wakeAt), attempts: 1 });
        return interrupt(new Suspend(wakeAt));
      },

      async waitFor<T>(id: string, type: string, options: { key: string; timeoutMs?: number }): Promise<WaitResult<T>> {
        claim(id);
        const j = journal.get(id);
        if (j?.status === 'done') return parseJson<WaitResult<T>>(j.result);
        if (compensating) return interrupt(new StopReplay());
        const now = engine.clock.now();
        const consumer = `${flow}/${key}/${id}`;
        const got = await engine.store.transaction(async (tx) => {
          const signal = await tx.db
            .selectFrom('wf_signals')
            .selectAll()
            .where('type', '=', type)
            .where('key', '=', options.key)
            .where('consumed_by', 'is', null)
            .orderBy('received_at')
            .limit(1)
            .executeTakeFirst();
          if (!signal) return undefined;
          await tx.db.updateTable('wf_signals').set({ consumed_by: consumer }).where('id', '=', signal.id).execute();
          const result: WaitResult<T> = { timedOut: false, event: parseJson<T>(signal.payload) };
          await engine.journal(flow, key, journal, id, { kind: 'wait', status: 'done', result: JSON.stringify(result) }, tx);
          return result;
        });
        if (got) return got;
        const deadline = j ? parseJson<number | null>(j.result) : options.timeoutMs !== undefined ? now + options.timeoutMs : null;
        if (deadline !== null && now >= deadline) {
          const result: WaitResult<T> = { timedOut: true };
          await engine.journal(flow, key, journal, id, { kind: 'wait', status: 'done', result: JSON.stringify(result) });
          return result;
        }
        if (!j)
          await engine.journal(flow, key, journal, id, { kind: 'wait', status: 'started', result: JSON.stringify(deadline), attempts: 1 });
        return interrupt(new Suspend(deadline, { type, key: options.key }));
      },

      async child<I, O>(id: string, childFlow: FlowDefinition<I, O>, input: I): Promise<O> {
        claim(id);
        const j = journal.get(id);
        if (j?.status === 'done') return parseJson<O>(j.result);
        if (j?.status === 'failed') {
          const cause = reviveError(j.error);
          throw WorkflowErrors.childFailed(`child ${childFlow.name} (${id}) failed: ${cause.message}`, {
            child: childFlow.name,
            cause: cause.toJSON(),
          });
        }
        if (compensating) return interrupt(new StopReplay());
        if (!j) {
          await engine.journal(flow, key, journal, id, { kind: 'child', status: 'started', attempts: 1 });
          await engine.start(childFlow, input, { correlationid: row.correlationid, parent: { flow, key, step: id } });
        }
        return interrupt(new Suspend(null));
      },

      async now(id: string): Promise<number> {
        return this.step(id, async () => engine.clock.now());
      },
    };
  }
}
