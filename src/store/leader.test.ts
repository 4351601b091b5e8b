import { afterEach, describe, expect, it } from 'vitest';
import { type LeaderHandle, LocalLeaderElection } from './leader.js';

describe('leader per job in one process (embedded mode)', () => {
  const handles: LeaderHandle[] = [];
  afterEach(async () => {
    for (const h of handles.splice(0)) await h.stop();
  });

  it('runs a job once at a time and hands it over on stop', async () => {
    const log: string[] = [];
    const job = (who: string) => async (signal: AbortSignal) => {
      log.push(`start ${who}`);
      await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
      log.push(`end ${who}`);
    };
    const a = new LocalLeaderElection({ retryMs: 10 }).runAsLeader('nightly', job('a'));
    const b = new LocalLeaderElection({ retryMs: 10 }).runAsLeader('nightly', job('b'));
    handles.push(a, b);
    await new Promise((r) => setTimeout(r, 50));
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    await a.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(b.isLeader).toBe(true);
    expect(log).toEqual(['start a', 'end a', 'start b']);
  });
});
