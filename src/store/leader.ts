import { type Logger, sleep } from '../kernel/index.js';

/**
 * One runner per job across the processes sharing a store (timers, reconciliation, pruning).
 * `fn` runs while this holder leads; its signal aborts when leadership is lost (the lock's session
 * died) or the handle stops. A job must stop its side effects when the signal aborts: another holder
 * may start at once. When `fn` settles, leadership is given up and the holder campaigns again.
 */
export type LeaderJob = (signal: AbortSignal) => Promise<void>;

export interface LeaderHandle {
  readonly jobName: string;
  /** True while this holder runs the job. */
  readonly isLeader: boolean;
  /** Aborts the job if it runs, waits for it to settle, and gives the job up. */
  stop(): Promise<void>;
}

export interface LeaderElection {
  runAsLeader(jobName: string, fn: LeaderJob): LeaderHandle;
}

/** Jobs held in this process, shared by every LocalLeaderElection (one SQLite store, one process). */
const held = new Map<string, { release: Promise<void> }>();

/**
 * The embedded mode's election: the data directory lock already makes the process unique, so a job
 * needs only exclusion inside the process. Same contract as the PostgreSQL election.
 */
export class LocalLeaderElection implements LeaderElection {
  constructor(private readonly options: { logger?: Logger; retryMs?: number } = {}) {}

  runAsLeader(jobName: string, fn: LeaderJob): LeaderHandle {
    const abort = new AbortController();
    let leading = false;
    const { logger, retryMs = 1_000 } = this.options;
    const loop = (async () => {
      while (!abort.signal.aborted) {
        const current = held.get(jobName);
        if (current) {
          await Promise.race([current.release, new Promise((r) => abort.signal.addEventListener('abort', r, { once: true }))]);
          continue;
        }
        let release: () => void = () => {};
        held.set(jobName, { release: new Promise<void>((r) => (release = r)) });
        leading = true;
        try {
          await fn(abort.signal);
        } catch (err) {
          logger?.error({ err, job: jobName }, 'leader job failed');
        } finally {
          leading = false;
          held.delete(jobName);
          release();
        }
        // A job that returns is run again, not in a tight loop.
        await sleep(retryMs, abort.signal);
      }
    })();
    return {
      jobName,
      get isLeader() {
        return leading;
      },
      stop: async () => {
        abort.abort();
        await loop;
      },
    };
  }
}
