import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineError, ManualClock, silentLogger } from '../kernel/index.js';
import { SqliteStore, type Store, type Tx } from '../store/index.js';
import { freshPostgresStore } from '../store/testing/postgres.js';
import { defineFlow, type FlowDefinition } from './define.js';
import { WorkflowEngine } from './engine.js';

const transient = defineError('CD_ERR_TEST_WF_TRANSIENT', { class: 'retryable', title: 'test' });
const broken = defineError('CD_ERR_TEST_WF_BROKEN', { class: 'permanent', title: 'test' });
const noStock = defineError('CD_ERR_TEST_WF_NO_STOCK', { class: 'business', title: 'test' });

let store: Store;
let dropStore: () => Promise<void>;
let clock: ManualClock;
let engine: WorkflowEngine;

/** The engine's statements run on both stores (raw SQL with `?` placeholders, rewritten for PostgreSQL). */
const stores = {
  async sqlite() {
    const dir = mkdtempSync(join(tmpdir(), 'crossdock-wf-'));
    const sqlite = SqliteStore.open({ file: join(dir, 'crossdock.db') });
    return {
      store: sqlite,
      drop: async () => {
        await sqlite.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  postgres: freshPostgresStore,
} as const;

function newEngine() {
  return new WorkflowEngine({ store, logger: silentLogger(), clock, retry: { maxAttempts: 3, baseMs: 1000, maxMs: 1000 } });
}

const orderInput = z.object({ order: z.string(), fail: z.string().optional() });

/** A side-effect ledger standing in for external systems: what exists, and every call made. */
function ledger() {
  const calls: string[] = [];
  const exists = new Set<string>();
  return {
    calls,
    exists,
    effect(name: string) {
      calls.push(name);
      exists.add(name);
      return name;
    },
    undo(name: string) {
      calls.push(`undo:${name}`);
      exists.delete(name);
    },
  };
}

/** Runs the engine until nothing is due, advancing the clock past any retry or sleep up to `maxMs`. */
async function settle(maxMs = 10 * 60_000) {
  await engine.drain();
  for (let waited = 0; waited < maxMs; waited += 1000) {
    const due = await store.db
      .selectFrom('wf_instances')
      .select(['wake_at'])
      .where('status', 'in', ['suspended', 'compensating'])
      .where('wake_at', 'is not', null)
      .execute();
    if (due.length === 0) return;
    clock.advance(1000);
    await engine.drain();
  }
}

describe.each(['sqlite', 'postgres'] as const)('workflow engine on %s', (kind) => {
  beforeEach(async () => {
    ({ store, drop: dropStore } = await stores[kind]());
    await store.migrate();
    clock = new ManualClock(Date.parse('2026-11-22T08:00:00Z'));
    engine = newEngine();
  });
  afterEach(async () => {
    await engine.stop();
    await dropStore();
  });

  it('journals each step once and completes with the flow’s result', async () => {
    const l = ledger();
    const flow = defineFlow({
      name: 'book',
      version: 1,
      description: 'test',
      input: orderInput,
      key: (i) => i.order,
      run: async (ctx, input) => {
        const a = await ctx.step('reserve', async () => l.effect(`reserve:${input.order}`));
        const b = await ctx.step('book', async (info) => l.effect(`book:${info.idempotencyKey}`));
        return { a, b };
      },
    });
    engine.register(flow);
    expect(await engine.start(flow, { order: 'SO-1' })).toEqual({ key: 'SO-1', started: true });
    expect(await engine.start(flow, { order: 'SO-1' })).toEqual({ key: 'SO-1', started: false });
    await settle();
    const view = await engine.get('book', 'SO-1');
    expect(view?.status).toBe('completed');
    expect(view?.output).toEqual({ a: 'reserve:SO-1', b: 'book:book:SO-1:book' });
    expect(l.calls).toEqual(['reserve:SO-1', 'book:book:SO-1:book']);
  });

  it('journals a step with an undo as started before it runs; a step without one once, when it is done, with the next write', async () => {
    const seen: Array<Array<{ step: string; status: string; attempts: number }>> = [];
    const snapshot = async () => {
      const view = await engine.get('ordered', 'SO-J');
      seen.push((view?.steps ?? []).map(({ step, status, attempts }) => ({ step, status, attempts })));
    };
    const undo = async () => {};
    const flow = defineFlow({
      name: 'ordered',
      version: 1,
      description: 'test',
      input: orderInput,
      key: (i) => i.order,
      run: async (ctx) => {
        const a = await ctx.step(
          'a',
          async () => {
            await snapshot();
            return 1;
          },
          { compensate: undo },
        );
        const b = await ctx.step('b', async () => {
          await snapshot();
          clock.advance(250);
          return a + 1;
        });
        return ctx.step(
          'c',
          async () => {
            await snapshot();
            return b + 1;
          },
          { compensate: undo },
        );
      },
    });
    engine.register(flow);
    await engine.start(flow, { order: 'SO-J' });
    await settle();
    expect(seen).toEqual([
      [{ step: 'a', status: 'started', attempts: 1 }],
      // b writes nothing before it runs, so a's result is still to be written.
      [{ step: 'a', status: 'started', attempts: 1 }],
      // c's start commits the outcomes before it: a's and b's results, then c.
      [
        { step: 'a', status: 'done', attempts: 1 },
        { step: 'b', status: 'done', attempts: 1 },
        { step: 'c', status: 'started', attempts: 1 },
      ],
    ]);
    const view = await engine.get('ordered', 'SO-J');
    expect(view?.output).toBe(3);
    expect(view?.steps.map((s) => s.status)).toEqual(['done', 'done', 'done']);
    // Written once, b's row still says when it began.
    const times = await store.db
      .selectFrom('wf_steps')
      .select(['started_at', 'finished_at'])
      .where('key', '=', 'SO-J')
      .where('step', '=', 'b')
      .execute();
    expect(times.map((t) => Number(t.finished_at) - Number(t.started_at))).toEqual([250]);
  });

  it('refuses bad input with the field named', async () => {
    const flow = defineFlow({ name: 'strict', version: 1, description: 't', input: orderInput, key: (i) => i.order, run: async () => 1 });
    engine.register(flow);
    await expect(engine.start(flow, { order: 7 })).rejects.toMatchObject({ code: 'CD_ERR_WORKFLOW_INPUT', details: { path: 'order' } });
  });

  it('retries a retryable step with backoff; steps already done are not run again', async () => {
    const l = ledger();
    let failures = 2;
    const flow = defineFlow({
      name: 'retry',
      version: 1,
      description: 't',
      input: orderInput,
      key: (i) => i.order,
      run: async (ctx) => {
        await ctx.step('first', async () => l.effect('first'));
        await ctx.step('flaky', async () => {
          l.calls.push('flaky-attempt');
          if (failures-- > 0) throw transient('ERP timed out', { retryAfterMs: 5000 });
          return 'ok';
        });
        return 'done';
      },
    });
    engine.register(flow);
    await engine.start(flow, { order: 'SO-2' });
    await engine.drain();
    expect((await engine.get('retry', 'SO-2'))?.status).toBe('suspended');
    clock.advance(4000);
    await engine.drain();
    expect(l.calls.filter((c) => c === 'flaky-attempt')).toHaveLength(1);
    await settle();
    expect((await engine.get('retry', 'SO-2'))?.status).toBe('completed');
    expect(l.calls).toEqual(['first', 'flaky-attempt', 'flaky-attempt', 'flaky-attempt']);
  });

  it('fail at each step: compensation undoes exactly what was done, newest first', async () => {
    const steps = ['reserve', 'book-erp', 'release-wms', 'invoice'];
    for (let failAt = 0; failAt < steps.length; failAt++) {
      const l = ledger();
      const flow = defineFlow({
        name: `matrix-${failAt}`,
        version: 1,
        description: 't',
        input: orderInput,
        key: (i) => i.order,
        run: async (ctx, input) => {
          for (const [i, s] of steps.entries()) {
            await ctx.step(
              s,
              async () => {
                if (i === failAt) throw broken(`${s} refused ${input.order}`);
                return l.effect(s);
              },
              { compensate: async (result) => (result ? l.undo(result) : undefined) },
            );
          }
        },
      });
      engine.register(flow);
      await engine.start(flow, { order: `SO-${failAt}` });
      await settle();
      const view = await engine.get(flow.name, `SO-${failAt}`);
      expect(view?.status).toBe('failed');
      expect(view?.error?.code).toBe('CD_ERR_TEST_WF_BROKEN');
      const done = steps.slice(0, failAt);
      expect(l.calls).toEqual([...done, ...[...done].reverse().map((s) => `undo:${s}`)]);
      expect([...l.exists]).toEqual([]);
    }
  });

  describe('atomic steps', () => {
    const put = (tx: Tx, key: string) =>
      tx.run('INSERT INTO kv (namespace, "key", value, version, updated_at) VALUES (?, ?, ?, 1, 0)', ['wf-test', key, key]);
    const keys = async () =>
      (await store.db.selectFrom('kv').select('key').where('namespace', '=', 'wf-test').orderBy('key').execute()).map((r) => r.key);

    it('commits the effect with the journal entry, or neither: a failed atomic step leaves nothing and has nothing to undo', async () => {
      const l = ledger();
      const flow = defineFlow({
        name: 'atomic-fail',
        version: 1,
        description: 't',
        input: orderInput,
        key: (i) => i.order,
        run: async (ctx) => {
          await ctx.atomic('credit', (tx) => put(tx, 'credit'), {
            compensate: async () => {
              l.undo('credit');
              await store.transaction((tx) => tx.run('DELETE FROM kv WHERE namespace = ? AND "key" = ?', ['wf-test', 'credit']));
            },
          });
          await ctx.atomic(
            'publish',
            async (tx) => {
              await put(tx, 'event');
              throw broken('refused after writing');
            },
            { compensate: async () => l.undo('event') },
          );
        },
      });
      engine.register(flow);
      await engine.start(flow, { order: 'SO-A1' });
      await settle();
      const view = await engine.get('atomic-fail', 'SO-A1');
      expect(view?.status).toBe('failed');
      expect(view?.error?.code).toBe('CD_ERR_TEST_WF_BROKEN');
      expect(view?.steps.map(({ step, kind, status, compensated }) => ({ step, kind, status, compensated }))).toEqual([
        { step: 'credit', kind: 'atomic', status: 'done', compensated: true },
        { step: 'publish', kind: 'atomic', status: 'failed', compensated: false },
      ]);
      // The failed step's write was rolled back with it, so only the done step is undone.
      expect(l.calls).toEqual(['undo:credit']);
      expect(await keys()).toEqual([]);
    });

    it('rolls back a retryable failure and runs again later; a done step is never run twice', async () => {
      let runs = 0;
      let failures = 1;
      const flow = defineFlow({
        name: 'atomic-retry',
        version: 1,
        description: 't',
        input: orderInput,
        key: (i) => i.order,
        run: async (ctx, input) => {
          const first = await ctx.atomic('first', async (tx) => {
            runs++;
            await put(tx, 'first');
            return { n: runs };
          });
          // A plain INSERT: had the failed attempt's write survived, the retry would hit its key.
          await ctx.atomic('flaky', async (tx) => {
            await put(tx, 'flaky');
            if (failures-- > 0) throw transient('store busy');
          });
          await ctx.waitFor('go', 'test.go', { key: input.order });
          return first;
        },
      });
      engine.register(flow);
      await engine.start(flow, { order: 'SO-A2' });
      await engine.drain();
      const retrying = await engine.get('atomic-retry', 'SO-A2');
      expect(retrying?.status).toBe('suspended');
      expect(retrying?.steps.map(({ step, status, attempts }) => ({ step, status, attempts }))).toEqual([
        { step: 'first', status: 'done', attempts: 1 },
        { step: 'flaky', status: 'retrying', attempts: 1 },
      ]);
      expect(await keys()).toEqual(['first']);
      await settle();
      await engine.signal('test.go', 'SO-A2', { go: true });
      await settle();
      const view = await engine.get('atomic-retry', 'SO-A2');
      expect(view?.status).toBe('completed');
      expect(view?.output).toEqual({ n: 1 });
      expect(runs).toBe(1);
      expect(view?.steps.find((s) => s.step === 'flaky')).toMatchObject({ status: 'done', attempts: 2 });
      expect(await keys()).toEqual(['first', 'flaky']);
    });

    it('undoes a step journaled by a plain step of the same id (code changed under a running instance), and not an atomic one that never finished', async () => {
      for (const [kind, status, undone] of [
        ['step', 'started', true],
        ['atomic', 'retrying', false],
      ] as const) {
        const l = ledger();
        const name = `atomic-upgrade-${kind}`;
        const flow = defineFlow({
          name,
          version: 1,
          description: 't',
          input: orderInput,
          key: (i) => i.order,
          run: async (ctx, input) => {
            await ctx.atomic('reserve', async () => l.effect('stock'), { compensate: async () => l.undo('stock') });
            await ctx.waitFor('shipped', 'test.shipped', { key: input.order });
          },
        });
        engine.register(flow);
        await engine.start(flow, { order: 'SO-A3' });
        await engine.drain();
        // As a crash would have left it: the step's row says it started (or was being retried), not done.
        await store.transaction((tx) =>
          tx.run('UPDATE wf_steps SET kind = ?, status = ? WHERE flow = ? AND "key" = ? AND step = ?', [
            kind,
            status,
            name,
            'SO-A3',
            'reserve',
          ]),
        );
        await engine.cancel(name, 'SO-A3', 'customer called');
        await settle();
        expect((await engine.get(name, 'SO-A3'))?.status).toBe('cancelled');
        expect(l.calls).toEqual(undone ? ['stock', 'undo:stock'] : ['stock']);
      }
    });
  });

  it('undoes a step whose outcome is uncertain (timed out, then gave up), by its undo key', async () => {
    const l = ledger();
    const flow = defineFlow({
      name: 'uncertain',
      version: 1,
      description: 't',
      input: orderInput,
      key: (i) => i.order,
      retry: { maxAttempts: 1 },
      run: async (ctx) => {
        await ctx.step(
          'book',
          async (info) => {
            // The remote system commits, then the answer is lost.
            l.effect(info.idempotencyKey);
            throw transient('no answer');
          },
          { compensate: async (_result, info) => l.undo(info.idempotencyKey) },
        );
      },
    });
    engine.register(flow);
    await engine.start(flow, { order: 'SO-U' });
    await settle();
    expect((await engine.get('uncertain', 'SO-U'))?.status).toBe('failed');
    expect(l.calls).toEqual(['uncertain:SO-U:book', 'undo:uncertain:SO-U:book']);
    expect(l.exists.size).toBe(0);
  });

  it('retries an undo that fails transiently, and still ends with the original failure', async () => {
    const l = ledger();
    let undoFailures = 1;
    const flow = defineFlow({
      name: 'undo-retry',
      version: 1,
      description: 't',
      input: orderInput,
      key: (i) => i.order,
      run: async (ctx) => {
        await ctx.step('reserve', async () => l.effect('stock'), {
          compensate: async () => {
            if (undoFailures-- > 0) throw transient('WMS busy');
            l.undo('stock');
          },
        });
        await ctx.step('book', async () => {
          throw broken('ERP refused the order');
        });
      },
    });
    engine.register(flow);
    await engine.start(flow, { order: 'SO-R' });
    await engine.drain();
    expect((await engine.get('undo-retry', 'SO-R'))?.status).toBe('compensating');
    await settle();
    const view = await engine.get('undo-retry', 'SO-R');
    expect(view?.status).toBe('failed');
    expect(view?.error?.message).toBe('ERP refused the order');
    expect(l.calls).toEqual(['stock', 'undo:stock']);
  });

  it('undoes a failed step even when its own undo must be retried on a later pass', async () => {
    const l = ledger();
    let undoFailures = 1;
    const flow = defineFlow({
      name: 'failed-step-undo',
      version: 1,
      description: 't',
      input: orderInput,
      key: (i) => i.order,
      run: async (ctx) => {
        await ctx.step('reserve', async () => l.effect('stock'), { compensate: async () => l.undo('stock') });
        await ctx.step(
          'book',
          async () => {
            l.effect('erp-order');
            throw broken('ERP answered with an error after it created the order');
          },
          {
            compensate: async () => {
              if (undoFailures-- > 0) throw transient('ERP busy');
              l.undo('erp-order');
            },
          },
        );
      },
    });
    engine.register(flow);
    await engine.start(flow, { order: 'SO-F' });
    await settle();
    expect((await engine.get('failed-step-undo', 'SO-F'))?.status).toBe('failed');
    expect(l.calls).toEqual(['stock', 'erp-order', 'undo:erp-order', 'undo:stock']);
    expect([...l.exists]).toEqual([]);
  });

  it('holds the lease while compensating: a second engine does not run the same undos beside it', async () => {
    const l = ledger();
    let entered!: () => void;
    const inUndo = new Promise<void>((r) => {
      entered = r;
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const flow = defineFlow({
      name: 'lease-undo',
      version: 1,
      description: 't',
      input: orderInput,
      key: (i) => i.order,
      run: async (ctx) => {
        await ctx.step('reserve', async () => l.effect('stock'), {
          compensate: async () => {
            entered();
            await gate;
            l.undo('stock');
          },
        });
        await ctx.step('book', async () => {
          throw broken('ERP refused the order');
        });
      },
    });
    engine.register(flow);
    const other = newEngine();
    other.register(flow);
    try {
      await engine.start(flow, { order: 'SO-L' });
      const first = engine.drain();
      await inUndo;
      expect(await other.tick()).toBe(0);
      release();
      await first;
      expect(l.calls).toEqual(['stock', 'undo:stock']);
      expect((await engine.get('lease-undo', 'SO-L'))?.status).toBe('failed');
    } finally {
      await other.stop();
    }
  });

  it('lets flow code branch on a business error', async () => {
    const flow = defineFlow({
      name: 'branch',
      version: 1,
      description: 't',
      input: orderInput,
      key: (i) => i.order,
      run: async (ctx) => {
        try {
          await ctx.step('allocate', async () => {
            throw noStock('SKU-1 has 0 available');
          });
          return 'allocated';
        } catch (err) {
          if (noStock.is(err)) return await ctx.step('backorder', async () => 'backordered');
          throw err;
        }
      },
    });
    engine.register(flow);
    await engine.start(flow, { order: 'SO-B' });
    await settle();
    expect(await engine.get('branch', 'SO-B')).toMatchObject({ status: 'completed', output: 'backordered' });
  });

  it('sleeps durably: a new engine (a restarted process) wakes the flow when the time comes', async () => {
    const flow = defineFlow({
      name: 'sleepy',
      version: 1,
      description: 't',
      input: orderInput,
      key: (i) => i.order,
      run: async (ctx) => {
        const t0 = await ctx.now('t0');
        await ctx.sleep('cool-off', 60 * 60_000);
        return (await ctx.now('t1')) - t0;
      },
    });
    engine.register(flow);
    await engine.start(flow, { order: 'SO-S' });
    await engine.drain();
    expect((await engine.get('sleepy', 'SO-S'))?.status).toBe('suspended');
    await engine.stop();
    engine = newEngine().register(flow);
    clock.advance(59 * 60_000);
    await engine.drain();
    expect((await engine.get('sleepy', 'SO-S'))?.status).toBe('suspended');
    clock.advance(60_000);
    await engine.drain();
    expect(await engine.get('sleepy', 'SO-S')).toMatchObject({ status: 'completed', output: 60 * 60_000 });
  });

  it('waits for an event (arriving before or after), and times out at the SLA', async () => {
    const flow = defineFlow({
      name: 'ship',
      version: 1,
      description: 't',
      input: orderInput,
      key: (i) => i.order,
      run: async (ctx, input) => {
        const shipped = await ctx.waitFor<{ tracking: string }>('shipped', 'crossdock.shipment.dispatched.v1', {
          key: input.order,
          timeoutMs: 48 * 3600_000,
        });
        return shipped.timedOut ? 'sla-breached' : shipped.event.tracking;
      },
    });
    engine.register(flow);
    await engine.signal('crossdock.shipment.dispatched.v1', 'SO-EARLY', { tracking: '1Z-EARLY' }, { id: 'evt-1' });
    expect(await engine.signal('crossdock.shipment.dispatched.v1', 'SO-EARLY', { tracking: '1Z-EARLY' }, { id: 'evt-1' })).toBe(false);
    await engine.start(flow, { order: 'SO-EARLY' });
    await engine.start(flow, { order: 'SO-LATE' });
    await engine.start(flow, { order: 'SO-NEVER' });
    await engine.drain();
    expect((await engine.get('ship', 'SO-EARLY'))?.output).toBe('1Z-EARLY');
    expect(await engine.get('ship', 'SO-LATE')).toMatchObject({
      status: 'suspended',
      waitingFor: { type: 'crossdock.shipment.dispatched.v1', key: 'SO-LATE' },
    });
    await engine.signal('crossdock.shipment.dispatched.v1', 'SO-LATE', { tracking: '1Z-LATE' });
    await engine.drain();
    expect((await engine.get('ship', 'SO-LATE'))?.output).toBe('1Z-LATE');
    clock.advance(48 * 3600_000);
    await engine.drain();
    expect((await engine.get('ship', 'SO-NEVER'))?.output).toBe('sla-breached');
  });

  it('runs a child flow and returns its result; a child’s failure is thrown in the parent', async () => {
    const child = defineFlow({
      name: 'replenish',
      version: 1,
      description: 't',
      input: z.object({ sku: z.string(), qty: z.number() }),
      key: (i) => `${i.sku}`,
      run: async (ctx, input) => {
        if (input.qty < 0) await ctx.step('refuse', async () => Promise.reject(broken('negative quantity')));
        return ctx.step('po', async () => `PO-${input.sku}-${input.qty}`);
      },
    });
    const parent = defineFlow({
      name: 'parent',
      version: 1,
      description: 't',
      input: z.object({ order: z.string(), qty: z.number() }),
      key: (i) => i.order,
      run: async (ctx, input) => {
        try {
          return await ctx.child('backorder', child, { sku: `SKU-${input.order}`, qty: input.qty });
        } catch (err) {
          return `child failed: ${(err as Error).message}`;
        }
      },
    });
    engine.register(child).register(parent);
    await engine.start(parent, { order: 'A', qty: 5 });
    await engine.start(parent, { order: 'B', qty: -1 });
    await settle();
    expect((await engine.get('parent', 'A'))?.output).toBe('PO-SKU-A-5');
    expect((await engine.get('replenish', 'SKU-A'))?.correlationid).toBe((await engine.get('parent', 'A'))?.correlationid);
    expect((await engine.get('parent', 'B'))?.output).toMatch(/child failed: .*negative quantity/);
  });

  it('cancels at any stage: compensation runs, the instance ends cancelled', async () => {
    const l = ledger();
    const flow = defineFlow({
      name: 'cancellable',
      version: 1,
      description: 't',
      input: orderInput,
      key: (i) => i.order,
      run: async (ctx, input) => {
        await ctx.step('reserve', async () => l.effect('stock'), { compensate: async () => l.undo('stock') });
        await ctx.step('book', async () => l.effect('erp-order'), { compensate: async () => l.undo('erp-order') });
        await ctx.waitFor('shipped', 'crossdock.shipment.dispatched.v1', { key: input.order });
        await ctx.step('invoice', async () => l.effect('invoice'));
      },
    });
    engine.register(flow);
    await engine.start(flow, { order: 'SO-C' });
    await engine.drain();
    await engine.cancel('cancellable', 'SO-C', 'customer called');
    await settle();
    const view = await engine.get('cancellable', 'SO-C');
    expect(view?.status).toBe('cancelled');
    expect(view?.error?.message).toContain('customer called');
    expect(l.calls).toEqual(['stock', 'erp-order', 'undo:erp-order', 'undo:stock']);
    await expect(engine.cancel('cancellable', 'SO-C', 'again')).rejects.toMatchObject({ code: 'CD_ERR_WORKFLOW_STATE' });
  });

  it('an operator can retry a failed instance once the cause is fixed', async () => {
    const l = ledger();
    let erpUp = false;
    const flow = defineFlow({
      name: 'manual',
      version: 1,
      description: 't',
      input: orderInput,
      key: (i) => i.order,
      run: async (ctx) => {
        await ctx.step('first', async () => l.effect('first'));
        await ctx.step('erp', async () => {
          if (!erpUp) throw broken('customer C9 unknown in ERP');
          return l.effect('erp');
        });
      },
    });
    engine.register(flow);
    await engine.start(flow, { order: 'SO-M' });
    await settle();
    expect((await engine.get('manual', 'SO-M'))?.status).toBe('failed');
    erpUp = true;
    await engine.retryInstance('manual', 'SO-M');
    await settle();
    expect((await engine.get('manual', 'SO-M'))?.status).toBe('completed');
    expect(l.calls).toEqual(['first', 'erp']);
  });

  it('running instances finish on their version; new ones take the newest', async () => {
    const make = (version: number): FlowDefinition<{ order: string }, string> =>
      defineFlow({
        name: 'versioned',
        version,
        description: 't',
        input: z.object({ order: z.string() }),
        key: (i) => i.order,
        run: async (ctx, input) => {
          await ctx.waitFor('go', 'crossdock.test.go.v1', { key: input.order });
          return `v${version}`;
        },
      });
    engine.register(make(1));
    await engine.start(make(1), { order: 'OLD' });
    await engine.drain();
    await engine.stop();
    engine = newEngine().register(make(1)).register(make(2));
    await engine.start(make(2), { order: 'NEW' });
    await engine.signal('crossdock.test.go.v1', 'OLD', {});
    await engine.signal('crossdock.test.go.v1', 'NEW', {});
    await settle();
    expect((await engine.get('versioned', 'OLD'))?.output).toBe('v1');
    expect((await engine.get('versioned', 'NEW'))?.output).toBe('v2');
  });

  it('reports a step id used twice as nondeterministic flow code', async () => {
    const flow = defineFlow({
      name: 'dup',
      version: 1,
      description: 't',
      input: orderInput,
      key: (i) => i.order,
      run: async (ctx) => {
        await ctx.step('same', async () => 1);
        await ctx.step('same', async () => 2);
      },
    });
    engine.register(flow);
    await engine.start(flow, { order: 'D' });
    await settle();
    expect((await engine.get('dup', 'D'))?.error?.code).toBe('CD_ERR_WORKFLOW_NONDETERMINISTIC');
  });
});
