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
import type { SqlValue, Store, Tx } from '../store/index.js';
import type { AtomicStepOptions, FlowContext, FlowDefinition, InstanceStatus, StepInfo, StepOptions, WaitResult } from './define.js';
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

/** The instance columns a run needs, read by the statement that leases it. */
interface InstanceRow {
  flow: string;
  key: string;
  version: number;
  status: string;
  input: string;
  error: string | null;
  correlationid: string;
  parent_flow: string | null;
  parent_key: string | null;
  parent_step: string | null;
  cancel_reason: string | null;
}

/** An instance this process has leased, with its journal as it stood when the lease was taken. */
interface Claim {
  row: InstanceRow;
  steps: StepRow[];
}

// Hot statements (ADR 3), written once for both dialects ("key" is a keyword in both, hence the
// quotes). They run once or twice per step, per claim or per suspension.
const SQL = {
  insertInstance:
    'INSERT INTO wf_instances (flow, "key", version, status, input, output, error, correlationid, parent_flow, parent_key, ' +
    'parent_step, wake_at, waiting_type, waiting_key, lease_owner, lease_until, cancel_reason, created_at, updated_at) ' +
    'VALUES (?, ?, ?, \'running\', ?, NULL, NULL, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, NULL, ?, ?) ON CONFLICT (flow, "key") DO NOTHING',
  insertSignal:
    'INSERT INTO wf_signals (id, type, "key", payload, received_at, consumed_by) VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO NOTHING',
  wakeWaiting: "UPDATE wf_instances SET wake_at = ?, updated_at = ? WHERE status = 'suspended' AND waiting_type = ? AND waiting_key = ?",
  // The statuses are literal so the partial index wf_instances_due_at (migration 0023) serves both.
  due:
    "SELECT flow, \"key\" FROM wf_instances WHERE status IN ('running', 'suspended', 'compensating') AND wake_at <= ? " +
    'AND (lease_until IS NULL OR lease_until < ?) ORDER BY wake_at LIMIT ?',
  dueCount: "SELECT count(*) AS n FROM wf_instances WHERE status IN ('running', 'suspended', 'compensating') AND wake_at <= ?",
  lease:
    'UPDATE wf_instances SET lease_owner = ?, lease_until = ? WHERE flow = ? AND "key" = ? AND (lease_until IS NULL OR lease_until < ?) ' +
    'RETURNING version, status, input, error, correlationid, parent_flow, parent_key, parent_step, cancel_reason',
  steps:
    'SELECT step, seq, kind, status, result, error, attempts, has_compensation, compensated FROM wf_steps WHERE flow = ? AND "key" = ?',
  // started_at, seq and compensated keep their first values when the row exists.
  upsertStep:
    'INSERT INTO wf_steps (flow, "key", step, seq, kind, status, result, error, attempts, has_compensation, compensated, started_at, finished_at) ' +
    'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (flow, "key", step) DO UPDATE SET kind = excluded.kind, ' +
    'status = excluded.status, result = excluded.result, error = excluded.error, attempts = excluded.attempts, ' +
    'has_compensation = excluded.has_compensation, finished_at = excluded.finished_at',
  suspend:
    "UPDATE wf_instances SET status = 'suspended', wake_at = ?, waiting_type = ?, waiting_key = ?, lease_owner = NULL, lease_until = NULL, " +
    'updated_at = ? WHERE flow = ? AND "key" = ?',
  wakeAt: 'UPDATE wf_instances SET wake_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE flow = ? AND "key" = ?',
  unconsumedSignal: 'SELECT id FROM wf_signals WHERE type = ? AND "key" = ? AND consumed_by IS NULL LIMIT 1',
  nextSignal: 'SELECT id, payload FROM wf_signals WHERE type = ? AND "key" = ? AND consumed_by IS NULL ORDER BY received_at LIMIT 1',
  consumeSignal: 'UPDATE wf_signals SET consumed_by = ? WHERE id = ?',
  // The lease stays: see the failure path in execute().
  compensating: 'UPDATE wf_instances SET status = \'compensating\', error = ?, updated_at = ? WHERE flow = ? AND "key" = ?',
  compensateLater:
    "UPDATE wf_instances SET status = 'compensating', wake_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? " +
    'WHERE flow = ? AND "key" = ?',
  markCompensated: 'UPDATE wf_steps SET compensated = 1 WHERE flow = ? AND "key" = ? AND step = ?',
  finish:
    'UPDATE wf_instances SET status = ?, output = ?, error = ?, wake_at = NULL, waiting_type = NULL, waiting_key = NULL, ' +
    'lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE flow = ? AND "key" = ?',
  finishParentStep: 'UPDATE wf_steps SET status = ?, result = ?, error = ?, finished_at = ? WHERE flow = ? AND "key" = ? AND step = ?',
  wakeParent: 'UPDATE wf_instances SET wake_at = ?, updated_at = ? WHERE flow = ? AND "key" = ? AND status = \'suspended\'',
} as const;

/** The journal kind of an atomic step (FlowContext.atomic): its effect commits with its result. */
const ATOMIC = 'atomic';

/** A change to one step's journal row; fields left out keep their journaled value. */
interface StepChange {
  kind: string;
  status: string;
  result?: string | null;
  error?: string | null;
  attempts?: number;
  hasCompensation?: boolean;
  /** When the step began, for a row first written when it ends (default: now). */
  startedAt?: number;
}

/**
 * One run's view of an instance's journal: the rows in memory, and the writes not yet committed.
 * A step's outcome is not committed on its own: it waits for the instance's next transaction (the
 * next step's start, a wait's check, a child's start, the suspension, the failure or the end),
 * and each of those commits before anything else happens outside the process. So a step's result
 * is still journaled before the next step (or an undo) starts, with one transaction per step
 * instead of two. A crash before that commit re-runs the step, as a crash just after it returned
 * always could.
 */
class Journal {
  readonly rows = new Map<string, StepRow>();
  private pending: SqlValue[][] = [];

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly flow: string,
    private readonly key: string,
    rows: readonly StepRow[],
  ) {
    for (const s of rows) this.rows.set(s.step, s);
  }

  get(step: string): StepRow | undefined {
    return this.rows.get(step);
  }

  /** Applies a change in memory; returns the parameters of the statement that journals it. */
  write(step: string, set: StepChange): SqlValue[] {
    const existing = this.rows.get(step);
    const now = this.clock.now();
    const row: StepRow = {
      step,
      seq: existing?.seq ?? this.rows.size,
      kind: set.kind,
      status: set.status,
      result: set.result !== undefined ? set.result : (existing?.result ?? null),
      error: set.error !== undefined ? set.error : (existing?.error ?? null),
      attempts: set.attempts ?? existing?.attempts ?? 0,
      has_compensation: set.hasCompensation ? 1 : (existing?.has_compensation ?? 0),
      compensated: existing?.compensated ?? 0,
    };
    this.rows.set(step, row);
    const finished = set.status === 'done' || set.status === 'failed' ? now : null;
    return [
      this.flow,
      this.key,
      step,
      row.seq,
      row.kind,
      row.status,
      row.result,
      row.error,
      row.attempts,
      row.has_compensation,
      row.compensated,
      set.startedAt ?? now,
      finished,
    ];
  }

  /** Journals a change with the instance's next transaction. */
  later(step: string, set: StepChange): void {
    this.pending.push(this.write(step, set));
  }

  /** Runs the pending journal writes, then `work`, in one transaction. */
  async commit<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const writes = this.pending;
    this.pending = [];
    try {
      return await this.store.transaction(async (tx) => {
        for (const params of writes) await tx.run(SQL.upsertStep, params);
        return work(tx);
      });
    } catch (err) {
      // Nothing was committed: the writes go with the next transaction, still first and in order.
      this.pending = writes.concat(this.pending);
      throw err;
    }
  }
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
  /** Who waits for a run to end (the poll loop when every slot is taken, drain()). */
  private slotWaiters: Array<() => void> = [];
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
      const inserted =
        (await tx.run(SQL.insertInstance, [
          def.name,
          key,
          def.version,
          JSON.stringify(parsed.data),
          options.correlationid ?? newId(now),
          options.parent?.flow ?? null,
          options.parent?.key ?? null,
          options.parent?.step ?? null,
          now,
          now,
          now,
        ])) > 0;
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
      const inserted = await tx.run(SQL.insertSignal, [id, type, key, JSON.stringify(payload ?? null), this.clock.now()]);
      if (inserted === 0) return false;
      const now = this.clock.now();
      await tx.run(SQL.wakeWaiting, [now, now, type, key]);
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

  /**
   * Resolves when one of the running instance runs ends. (Promise.race over the running set would
   * add a reaction to every running promise on each call, kept until that run ends.)
   */
  private runEnded(): Promise<void> {
    return new Promise<void>((resolve) => this.slotWaiters.push(resolve));
  }

  /** Claims due instances up to the free concurrency and runs them. Returns how many it claimed. */
  async tick(): Promise<number> {
    const free = this.concurrency - this.running.size;
    if (free <= 0) {
      await this.runEnded();
      // Runs that end in the same turn free their slots together: one poll then claims for all of
      // them (a poll per freed slot made the due query a cost of every instance run).
      await new Promise<void>((resolve) => setImmediate(resolve));
      return 1;
    }
    const now = this.clock.now();
    // Lease, instance row and journal come from one transaction: the row is read by the statement
    // that takes the lease, so the run sees the instance as it was when it became this process's.
    const claims = await this.store.transaction(async (tx) => {
      const due = await tx.all<{ flow: string; key: string }>(SQL.due, [now, now, free]);
      const out: Claim[] = [];
      for (const { flow, key } of due) {
        const [leased] = await tx.all<Omit<InstanceRow, 'flow' | 'key'>>(SQL.lease, [this.owner, now + this.leaseMs, flow, key, now]);
        if (leased === undefined) continue;
        out.push({ row: { ...leased, flow, key }, steps: await tx.all<StepRow>(SQL.steps, [flow, key]) });
      }
      return out;
    });
    for (const claim of claims) {
      const { flow, key } = claim.row;
      const run = this.execute(claim)
        .catch((err: unknown) => this.logger.error({ err, flow, key }, 'instance run failed'))
        .finally(() => {
          this.running.delete(run);
          const waiters = this.slotWaiters;
          this.slotWaiters = [];
          for (const resolve of waiters) resolve();
        });
      this.running.add(run);
    }
    return claims.length;
  }

  /** Runs until no instance is due (tests and tools). Instances sleeping into the future are not waited for. */
  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = this.clock.now();
      const [due] = await this.store.transaction((tx) => tx.all<{ n: number | string }>(SQL.dueCount, [now]));
      if (Number(due?.n) === 0 && this.running.size === 0) return;
      if (Date.now() > deadline) throw new Error(`workflow engine still busy after ${timeoutMs} ms (${due?.n} due)`);
      if (this.stopped) await this.tick();
      if (this.running.size > 0) await this.runEnded();
      else await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** Runs one claimed instance until it completes, fails, or suspends. */
  private async execute(claim: Claim): Promise<void> {
    const { row } = claim;
    const { flow, key } = row;
    const def = this.definition(flow, row.version);
    const journal = new Journal(this.store, this.clock, flow, key, claim.steps);
    let logger: Logger | undefined;
    // Made on first use: most runs end without logging anything.
    const log = () => {
      logger ??= this.logger.child({ flow, key, correlationid: row.correlationid });
      return logger;
    };
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
      await journal.commit(async (tx) => {
        await tx.run(SQL.suspend, [s.wakeAt, s.waiting?.type ?? null, s.waiting?.key ?? null, this.clock.now(), flow, key]);
        // A signal may have arrived between the check and the suspend: look once more (one that
        // reaches the instance row after this update finds it suspended and wakes it itself).
        if (s.waiting && (await tx.all<{ id: string }>(SQL.unconsumedSignal, [s.waiting.type, s.waiting.key])).length > 0)
          await tx.run(SQL.wakeAt, [now, this.clock.now(), flow, key]);
      });
      return;
    }
    if (outcome.kind === 'done') {
      await this.finish(journal, row, 'completed', JSON.stringify(outcome.output ?? null), null);
      if (this.logger.isLevelEnabled('debug')) log().debug('flow completed');
      return;
    }
    // Failure or cancellation: undo what was done, newest first.
    const failure = outcome.err;
    const failureText = serializeError(failure);
    const cancelled = row.cancel_reason !== null;
    if (compensations.length > 0) {
      // The lease stays held while the undos run: the instance is due, and another poller must not
      // claim it (and run the same undos beside this pass) until this pass ends or its lease expires.
      await journal.commit((tx) => tx.run(SQL.compensating, [failureText, this.clock.now(), flow, key]));
    }
    for (const c of compensations.reverse()) {
      try {
        await c.undo();
        await this.store.transaction((tx) => tx.run(SQL.markCompensated, [flow, key, c.step]));
      } catch (err) {
        if (classify(err) === 'retryable') {
          const attempt = (journal.get(c.step)?.attempts ?? 1) + 1;
          await this.store.transaction((tx) =>
            tx.run(SQL.compensateLater, [now + backoffMs(attempt, this.retry.baseMs, this.retry.maxMs), this.clock.now(), flow, key]),
          );
          log().warn({ step: c.step, err: errorMessage(err) }, 'compensation will be retried');
          return;
        }
        const e = WorkflowErrors.compensationFailed(`undoing step ${c.step} failed: ${errorMessage(err)}; an operator must resolve it`, {
          step: c.step,
          cause: errorMessage(err),
        });
        await this.finish(journal, row, 'failed', null, serializeError(e));
        log().error({ step: c.step, err }, 'compensation failed');
        return;
      }
    }
    await this.finish(journal, row, cancelled ? 'cancelled' : 'failed', null, failureText);
    log().info({ err: errorMessage(failure), cancelled }, cancelled ? 'flow cancelled' : 'flow failed');
  }

  private cancelError(reason: string | null): CrossdockError {
    return WorkflowErrors.cancelled(`cancelled: ${reason ?? 'no reason given'}`);
  }

  /**
   * Final state, committed with the journal writes still pending; a child's end is reported to its
   * parent, which wakes.
   */
  private async finish(
    journal: Journal,
    row: InstanceRow,
    status: 'completed' | 'failed' | 'cancelled',
    output: string | null,
    error: string | null,
  ): Promise<void> {
    const now = this.clock.now();
    await journal.commit(async (tx) => {
      await tx.run(SQL.finish, [status, output, error, now, row.flow, row.key]);
      if (row.parent_flow && row.parent_key && row.parent_step) {
        await tx.run(SQL.finishParentStep, [
          status === 'completed' ? 'done' : 'failed',
          output,
          error,
          now,
          row.parent_flow,
          row.parent_key,
          row.parent_step,
        ]);
        await tx.run(SQL.wakeParent, [now, now, row.parent_flow, row.parent_key]);
      }
      tx.afterCommit(() => this.wake?.());
    });
  }

  private context(
    // biome-ignore lint/suspicious/noExplicitAny: see flows
    def: FlowDefinition<any, any>,
    row: InstanceRow,
    journal: Journal,
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
    // Returns how a step's undo is registered for this pass (unless an earlier pass already ran it).
    const registrar =
      <T>(id: string, undo: StepOptions<T>['compensate']) =>
      (result: T | undefined, attempt: number) => {
        if (undo && journal.get(id)?.compensated !== 1) compensations.push({ step: id, undo: () => undo(result, info(id, attempt)) });
      };
    const engine = this;

    return {
      flow,
      key,
      version: row.version,
      correlationid: row.correlationid,

      async step<T>(id: string, fn: (i: StepInfo) => Promise<T>, options?: StepOptions<T>): Promise<T> {
        claim(id);
        const j = journal.get(id);
        const register = registrar(id, options?.compensate);
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
        // A step with an undo: its start commits (with the previous steps' outcomes) before its effect
        // can happen, so a compensation finds a step that may have taken effect. A step without one
        // has nothing to be found for: it is journaled once, when it ends, with the next write (a
        // crash before that runs it again, as a crash just after it always could: writes are keyed).
        if (options?.compensate) {
          await journal.commit((tx) =>
            tx.run(SQL.upsertStep, journal.write(id, { kind: 'step', status: 'started', attempts: attempt, hasCompensation: true })),
          );
        }
        let result: T;
        const stepInfo = info(id, attempt);
        const startedAt = engine.clock.now();
        const call = () => (stepObserver ? stepObserver(stepInfo, () => fn(stepInfo)) : fn(stepInfo));
        try {
          const timeoutMs = options?.timeoutMs;
          if (timeoutMs === undefined) {
            result = await call();
          } else {
            let timer: NodeJS.Timeout | undefined;
            try {
              result = await Promise.race([
                call(),
                new Promise<never>((_, reject) => {
                  timer = setTimeout(
                    () => reject(WorkflowErrors.stepTimeout(`step ${id} did not finish within ${timeoutMs} ms`)),
                    timeoutMs,
                  );
                  timer.unref();
                }),
              ]);
            } finally {
              clearTimeout(timer);
            }
          }
        } catch (err) {
          const p = policy(options as StepOptions<unknown> | undefined);
          if (classify(err) === 'retryable' && attempt < p.maxAttempts) {
            // Journaled with the suspension that follows.
            journal.later(id, { kind: 'step', status: 'uncertain', error: serializeError(err), attempts: attempt, startedAt });
            const retryAfter = err instanceof CrossdockError ? (err.retryAfterMs ?? 0) : 0;
            return interrupt(new Suspend(engine.clock.now() + Math.max(retryAfter, backoffMs(attempt, p.baseMs, p.maxMs))));
          }
          // The step failed for good; its (possibly partial) effect is undone with the rest.
          register(undefined, attempt);
          journal.later(id, { kind: 'step', status: 'failed', error: serializeError(err), attempts: attempt, startedAt });
          throw err;
        }
        journal.later(id, { kind: 'step', status: 'done', result: JSON.stringify(result ?? null), attempts: attempt, startedAt });
        register(result, attempt);
        return result;
      },

      async atomic<T>(id: string, fn: (tx: Tx, i: StepInfo) => Promise<T>, options?: AtomicStepOptions<T>): Promise<T> {
        claim(id);
        const j = journal.get(id);
        const undo = options?.compensate;
        const register = registrar(id, undo);
        if (j?.status === 'done') {
          const result = parseJson<T>(j.result);
          register(result, j.attempts);
          return result;
        }
        // Failed or never done, an atomic step left nothing behind: there is nothing to undo. A row
        // of another kind was journaled by a plain step of the same id (the flow's code before the
        // step became atomic); its effect may exist, so it is undone as a plain step's would be.
        const plain = j !== undefined && j.kind !== ATOMIC;
        if (j?.status === 'failed') {
          if (plain) register(undefined, j.attempts);
          throw reviveError(j.error);
        }
        if (compensating) {
          if (plain) register(undefined, j.attempts);
          return interrupt(new StopReplay());
        }
        const attempt = (j?.attempts ?? 0) + 1;
        const stepInfo = info(id, attempt);
        const hasCompensation = Boolean(undo);
        let result: T;
        try {
          // The previous steps' outcomes, the effect and this step's result: one transaction.
          result = await journal.commit(async (tx) => {
            const r = await (stepObserver ? stepObserver(stepInfo, () => fn(tx, stepInfo)) : fn(tx, stepInfo));
            await tx.run(
              SQL.upsertStep,
              journal.write(id, { kind: ATOMIC, status: 'done', result: JSON.stringify(r ?? null), attempts: attempt, hasCompensation }),
            );
            return r;
          });
        } catch (err) {
          // Rolled back: nothing of it happened, whatever the error.
          const p = policy(options as StepOptions<unknown> | undefined);
          const error = serializeError(err);
          if (classify(err) === 'retryable' && attempt < p.maxAttempts) {
            journal.later(id, { kind: ATOMIC, status: 'retrying', error, attempts: attempt, hasCompensation });
            const retryAfter = err instanceof CrossdockError ? (err.retryAfterMs ?? 0) : 0;
            return interrupt(new Suspend(engine.clock.now() + Math.max(retryAfter, backoffMs(attempt, p.baseMs, p.maxMs))));
          }
          journal.later(id, { kind: ATOMIC, status: 'failed', error, attempts: attempt, hasCompensation });
          throw err;
        }
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
          journal.later(id, { kind: 'sleep', status: 'done', result: JSON.stringify(wakeAt) });
          return;
        }
        if (!j) journal.later(id, { kind: 'sleep', status: 'started', result: JSON.stringify(wakeAt), attempts: 1 });
        return interrupt(new Suspend(wakeAt));
      },

      async waitFor<T>(id: string, type: string, options: { key: string; timeoutMs?: number }): Promise<WaitResult<T>> {
        claim(id);
        const j = journal.get(id);
        if (j?.status === 'done') return parseJson<WaitResult<T>>(j.result);
        if (compensating) return interrupt(new StopReplay());
        const now = engine.clock.now();
        const consumer = `${flow}/${key}/${id}`;
        const got = await journal.commit(async (tx) => {
          const [signal] = await tx.all<{ id: string; payload: string }>(SQL.nextSignal, [type, options.key]);
          if (signal === undefined) return undefined;
          await tx.run(SQL.consumeSignal, [consumer, signal.id]);
          const result: WaitResult<T> = { timedOut: false, event: parseJson<T>(signal.payload) };
          await tx.run(SQL.upsertStep, journal.write(id, { kind: 'wait', status: 'done', result: JSON.stringify(result) }));
          return result;
        });
        if (got) return got;
        const deadline = j ? parseJson<number | null>(j.result) : options.timeoutMs !== undefined ? now + options.timeoutMs : null;
        if (deadline !== null && now >= deadline) {
          const result: WaitResult<T> = { timedOut: true };
          journal.later(id, { kind: 'wait', status: 'done', result: JSON.stringify(result) });
          return result;
        }
        if (!j) journal.later(id, { kind: 'wait', status: 'started', result: JSON.stringify(deadline), attempts: 1 });
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
          // The child's start and its journal entry commit together.
          await journal.commit(async (tx) => {
            await tx.run(SQL.upsertStep, journal.write(id, { kind: 'child', status: 'started', attempts: 1 }));
            await engine.start(childFlow, input, { correlationid: row.correlationid, parent: { flow, key, step: id }, tx });
          });
        }
        return interrupt(new Suspend(null));
      },

      async now(id: string): Promise<number> {
        return this.step(id, async () => engine.clock.now());
      },

      journaled(id: string): boolean {
        return journal.get(id)?.status === 'done';
      },
    };
  }
}
