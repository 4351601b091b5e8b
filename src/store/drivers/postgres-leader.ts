import pg from 'pg';
import { type Logger, newId, sleep } from '../../kernel/index.js';
import type { LeaderElection, LeaderHandle, LeaderJob } from '../leader.js';
import { redactUrl } from './postgres.js';

export interface PostgresLeaderOptions {
  url: string;
  logger?: Logger;
  /** Pause between campaigns while another holder leads. */
  retryMs?: number;
  /** How often the leader checks that its lock's session is alive. */
  checkMs?: number;
}

/**
 * Leader per job with a session-level `pg_try_advisory_lock` on a connection of its own: the lock
 * lives exactly as long as that session, so a crashed or partitioned leader's lock is released by
 * PostgreSQL when its session ends, and the next campaign of another holder wins.
 * https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 *
 * Key: `hashtextextended(job, 0)` (bigint). A leader checks its session every `checkMs` and aborts
 * its job on the first failure, before PostgreSQL may give the lock to someone else: a half-open TCP
 * connection is found by TCP keepalive on the server side (tcp_keepalives_idle), which bounds how
 * long a vanished leader blocks the job.
 */
export class PostgresLeaderElection implements LeaderElection {
  private readonly holderId = newId();

  constructor(private readonly options: PostgresLeaderOptions) {}

  runAsLeader(jobName: string, fn: LeaderJob): LeaderHandle {
    const { url, logger, retryMs = 1_000, checkMs = 1_000 } = this.options;
    const stopping = new AbortController();
    let leading = false;
    const log = logger?.child({ job: jobName, holder: this.holderId });

    const campaign = async (client: pg.Client): Promise<boolean> => {
      const res = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [jobName]);
      return res.rows[0]?.ok === true;
    };

    const lead = async (client: pg.Client, lost: AbortController): Promise<void> => {
      leading = true;
      log?.info('leader elected');
      const onStop = () => lost.abort();
      stopping.signal.addEventListener('abort', onStop, { once: true });
      const watch = (async () => {
        while (!lost.signal.aborted) {
          await sleep(checkMs, lost.signal);
          if (lost.signal.aborted) break;
          try {
            await client.query('select 1');
          } catch {
            lost.abort();
          }
        }
      })();
      try {
        await fn(lost.signal);
      } catch (err) {
        log?.error({ err }, 'leader job failed');
      } finally {
        leading = false;
        stopping.signal.removeEventListener('abort', onStop);
        const sessionAlive = !lost.signal.aborted || stopping.signal.aborted;
        lost.abort();
        await watch;
        if (sessionAlive) await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [jobName]).catch(() => {});
        log?.info('leadership given up');
      }
    };

    const loop = (async () => {
      while (!stopping.signal.aborted) {
        const lost = new AbortController();
        const client = new pg.Client({
          connectionString: url,
          application_name: `crossdock-leader:${jobName}:${this.holderId}`.slice(0, 63),
          keepAlive: true,
        });
        client.on('error', () => lost.abort());
        client.on('end', () => lost.abort());
        try {
          await client.connect();
          while (!stopping.signal.aborted && !lost.signal.aborted) {
            if (await campaign(client)) {
              await lead(client, lost);
              break;
            }
            await sleep(retryMs, stopping.signal);
          }
        } catch (err) {
          log?.warn({ err: (err as Error).message, store: redactUrl(url) }, 'leader election: store unreachable');
        } finally {
          await client.end().catch(() => {});
        }
        await sleep(retryMs, stopping.signal);
      }
    })();

    return {
      jobName,
      get isLeader() {
        return leading;
      },
      stop: async () => {
        stopping.abort();
        await loop;
      },
    };
  }
}

/** Runs `fn` whenever this process leads `jobName`; see PostgresLeaderElection. */
export function runAsLeader(url: string, jobName: string, fn: LeaderJob, options: Omit<PostgresLeaderOptions, 'url'> = {}): LeaderHandle {
  return new PostgresLeaderElection({ url, ...options }).runAsLeader(jobName, fn);
}
