import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore, type Store } from '../../store/index.js';
import { freshPostgresStore } from '../../store/testing/postgres.js';
import { BudgetRegistry, SharedWindowBudget } from './budget.js';

async function burst(registries: BudgetRegistry[], calls: number, perSecond: number): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: calls }, async (_, i) => {
      await registries[i % registries.length]!.get('erp:main', { kind: 'token-bucket', perSecond, burst: perSecond }).acquire(1);
      times.push(Date.now());
    }),
  );
  return times.sort((a, b) => a - b);
}

function sharedContract(name: string, open: () => Promise<{ store: Store; close: () => Promise<void> }>) {
  describe(`shared rate budget on ${name}`, () => {
    let env: { store: Store; close: () => Promise<void> };
    beforeEach(async () => {
      env = await open();
    });
    afterEach(async () => {
      await env.close();
    });

    it('three processes together never exceed the rate in any window', async () => {
      const perSecond = 40;
      const registries = Array.from({ length: 3 }, () => new BudgetRegistry({ shared: env.store }));
      const t0 = Date.now();
      const times = await burst(registries, 90, perSecond);
      // 90 calls at 10 per aligned 250 ms window need nine windows. The first may be nearly over
      // when the burst starts, so the last call comes at least seven whole windows after t0.
      expect(Date.now() - t0).toBeGreaterThanOrEqual(7 * 250);
      // Per aligned 250 ms window: at most 10. Per sliding second: at most 40 plus one window's 10.
      const perWindow = new Map<number, number>();
      for (const t of times) perWindow.set(Math.floor(t / 250), (perWindow.get(Math.floor(t / 250)) ?? 0) + 1);
      expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(10);
      for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(50);
    });

    it('refuses a call costing more than a window can ever hold', async () => {
      await expect(new SharedWindowBudget('x', env.store, 8, 250).acquire(3)).rejects.toMatchObject({ code: 'CD_ERR_CONNECTOR_BUDGET' });
    });
  });
}

sharedContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-budget-'));
  const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  return {
    store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

sharedContract('postgres', async () => {
  const { store, drop } = await freshPostgresStore();
  await store.migrate();
  return { store, close: drop };
});
