import type { z } from 'zod';
import type { RetryPolicy } from '../eventlog/index.js';
import type { Tx } from '../store/index.js';

/** What a step function (and its compensation) is told about its call. */
export interface StepInfo {
  readonly flow: string;
  readonly key: string;
  readonly step: string;
  readonly attempt: number;
  /**
   * `<flow>:<key>:<step>`: derived before the call and the same on every attempt, so the side
   * effect can be made idempotent and its undo can find it even if the call timed out after
   * succeeding (ARCHITECTURE §5.4).
   */
  readonly idempotencyKey: string;
  readonly correlationid: string;
}

export interface StepOptions<T> {
  /** Undoes the step when the flow fails or is cancelled later; gets the step's result if it has one. */
  compensate?: (result: T | undefined, info: StepInfo) => Promise<void>;
  retry?: Partial<RetryPolicy>;
  /** A step that runs longer fails with a retryable CD_ERR_WORKFLOW_STEP_TIMEOUT (outcome uncertain). */
  timeoutMs?: number;
}

/** Options of an atomic step: no timeout (it runs inside a store transaction, which has none). */
export type AtomicStepOptions<T> = Omit<StepOptions<T>, 'timeoutMs'>;

export type WaitResult<T> = { timedOut: false; event: T } | { timedOut: true };

/**
 * The flow's view of the engine. Flow code is deterministic: all I/O happens inside steps, and
 * steps are reached in the same order on every replay (ARCHITECTURE §11.5).
 */
export interface FlowContext {
  readonly flow: string;
  readonly key: string;
  readonly version: number;
  readonly correlationid: string;
  /** Runs fn once, journals its result; on replay returns the journaled result without running it. */
  step<T>(id: string, fn: (info: StepInfo) => Promise<T>, options?: StepOptions<T>): Promise<T>;
  /**
   * A step whose whole effect is writes to the hub's own store (events on the log, the credit
   * ledger, stock reservations): `fn` runs inside the transaction that journals its result, so the
   * effect and the journal entry commit together. It happens exactly once: a crash leaves either
   * both or neither, and a journaled result is never run again. One transaction instead of a plain
   * step's two. `fn` must do all its work through `tx` and nothing outside the store (no HTTP call:
   * a rollback could not undo it); other transactions wait while it runs, so keep it short.
   */
  atomic<T>(id: string, fn: (tx: Tx, info: StepInfo) => Promise<T>, options?: AtomicStepOptions<T>): Promise<T>;
  /** A durable sleep: survives restarts; the instance is suspended, not a timer in memory. */
  sleep(id: string, ms: number): Promise<void>;
  /** Waits for a signal (an event) of `type` for `key`, up to `timeoutMs` (e.g. an SLA). */
  waitFor<T = unknown>(id: string, type: string, options: { key: string; timeoutMs?: number }): Promise<WaitResult<T>>;
  /** Starts a child flow and waits for its result; its failure is thrown here. */
  child<I, O>(id: string, flow: FlowDefinition<I, O>, input: I): Promise<O>;
  /** The time the flow first reached this point (journaled, so replays see the same value). */
  now(id: string): Promise<number>;
  /**
   * Whether step `id` completed in an earlier run of this instance: e.g. the failure report of a
   * run before an operator's retry, whose exception the successful run then closes.
   */
  journaled(id: string): boolean;
}

export interface FlowDefinition<I, O> {
  readonly name: string;
  /** Running instances finish on the version they started with; new ones take the highest. */
  readonly version: number;
  readonly description: string;
  readonly input: z.ZodType<I>;
  /** The business key: one instance per key, ever (e.g. the order number). */
  key(input: I): string;
  run(ctx: FlowContext, input: I): Promise<O>;
  /** Default retry policy of this flow's steps. */
  readonly retry?: Partial<RetryPolicy>;
}

export function defineFlow<I, O>(definition: FlowDefinition<I, O>): FlowDefinition<I, O> {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name)) throw new Error(`flow name ${definition.name} must be kebab-case`);
  if (!Number.isInteger(definition.version) || definition.version < 1)
    throw new Error(`flow ${definition.name}: version must be 1 or more`);
  return definition;
}

export type InstanceStatus = 'running' | 'suspended' | 'completed' | 'failed' | 'compensating' | 'cancelled';
