import { describe, expect, it } from 'vitest';
import { ExceptionQueue } from '../../../domains/exceptions/index.js';
import { EdiRuntime } from '../../../edi/index.js';
import { LocalLeaderElection, SqliteStore } from '../../../store/index.js';
import { runTimersAsLeader } from './edi.module.js';

/** Stands in for an EdiRuntime: counts starts and stops, and whether its timers run. */
function fakeRuntime() {
  const r = {
    starts: 0,
    stops: 0,
    running: false,
    start() {
      r.starts++;
      r.running = true;
    },
    async stop() {
      if (r.running) r.stops++;
      r.running = false;
    },
  };
  return r;
}

async function until(what: string, ok: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('EDI timers in a cluster', () => {
  it('run in one process at a time and move to another when the leader goes', async () => {
    const job = `edi-timers test ${Math.random()}`;
    const a = fakeRuntime();
    const b = fakeRuntime();
    const leaderA = runTimersAsLeader(a, new LocalLeaderElection({ retryMs: 20 }), job);
    await until('a leader', () => a.running || b.running);
    const leaderB = runTimersAsLeader(b, new LocalLeaderElection({ retryMs: 20 }), job);
    await new Promise((r) => setTimeout(r, 100));
    // Exactly one polls.
    expect([a.running, b.running]).toEqual([true, false]);
    await leaderA.stop();
    expect(a.running).toBe(false);
    await until('the stand-by to take over', () => b.running);
    expect(b.starts).toBe(1);
    await leaderB.stop();
    expect(b.running).toBe(false);
    expect([a.stops, b.stops]).toEqual([1, 1]);
  });

  it('a runtime stopped when leadership moved away starts again when it comes back', async () => {
    const store = SqliteStore.open({ file: ':memory:' });
    await store.migrate();
    let checks = 0;
    const exceptions = new ExceptionQueue(store);
    const runtime = new EdiRuntime({
      store,
      profiles: [],
      exceptions,
      transportFor: () => {
        throw new Error('no partner has a transport here');
      },
      deliver: async () => {},
      overdueCheckMs: 5,
      // Each overdue check reads the clock: with no partners it is the only reader.
      clock: {
        now: () => {
          checks++;
          return Date.now();
        },
      },
    });
    for (let round = 0; round < 2; round++) {
      runtime.start();
      expect(runtime.running).toBe(true);
      const before = checks;
      await until('the overdue check to run', () => checks > before + 1);
      await runtime.stop();
      expect(runtime.running).toBe(false);
    }
    await store.close();
  });
});
