import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { LeaderHandle } from '../leader.js';
import { TEST_POSTGRES_URL } from '../testing/postgres.js';
import { PostgresLeaderElection } from './postgres-leader.js';

async function until(cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('leader per job on PostgreSQL (advisory lock)', () => {
  const handles: LeaderHandle[] = [];
  afterEach(async () => {
    for (const h of handles.splice(0)) await h.stop();
  });

  const job = () => `test-job-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const election = () => new PostgresLeaderElection({ url: TEST_POSTGRES_URL, retryMs: 50, checkMs: 50 });

  it('runs a job in one holder at a time and hands it over when the leader stops', async () => {
    const name = job();
    const running = new Set<string>();
    let overlap = false;
    const jobFn = (who: string) => async (signal: AbortSignal) => {
      if (running.size > 0) overlap = true;
      running.add(who);
      await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
      running.delete(who);
    };
    const a = election().runAsLeader(name, jobFn('a'));
    handles.push(a);
    await until(() => a.isLeader);
    const b = election().runAsLeader(name, jobFn('b'));
    handles.push(b);
    await new Promise((r) => setTimeout(r, 300));
    expect(b.isLeader).toBe(false);
    await a.stop();
    await until(() => b.isLeader);
    expect([...running]).toEqual(['b']);
    expect(overlap).toBe(false);
  });

  it('fails over when the leader’s session dies, and the old leader’s job is aborted', async () => {
    const name = job();
    const aborted: string[] = [];
    const jobFn = (who: string) => async (signal: AbortSignal) => {
      await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
      aborted.push(who);
    };
    const a = election().runAsLeader(name, jobFn('a'));
    handles.push(a);
    await until(() => a.isLeader);
    const b = election().runAsLeader(name, jobFn('b'));
    handles.push(b);
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      const killed = await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where application_name like 'crossdock-leader:' || $1 || '%' and pid in (select pid from pg_locks where locktype = 'advisory' and granted)",
        [name],
      );
      expect(killed.rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    await until(() => b.isLeader);
    expect(aborted).toContain('a');
  });
});
