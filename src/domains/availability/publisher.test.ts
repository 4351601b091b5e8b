import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../canonical/index.js';
import type { RateBudget } from '../../connectors/sdk/index.js';
import { CrossdockError, sleep } from '../../kernel/index.js';
import { SqliteStore } from '../../store/index.js';
import { Availability } from './availability.js';
import { AvailabilityPublisher, type AvailabilityUpdate, type ResyncProgress, renderProgressLine } from './publisher.js';
import { movement, snapshot, testConfig } from './testing/fixtures.js';

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

class RecordingSink {
  readonly pushes: AvailabilityUpdate[][] = [];
  failNext = 0;
  refuse: ((u: AvailabilityUpdate) => boolean) | undefined;
  /** Resolves a push only when `open` is called (a slow channel). */
  gate: Promise<void> | undefined;
  async push(updates: AvailabilityUpdate[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('channel said 503');
    }
    if (this.refuse && updates.some(this.refuse)) {
      throw new CrossdockError('CD_ERR_CONNECTOR_NOT_FOUND', 'permanent', 'the channel has no such item');
    }
    if (this.gate) await this.gate;
    this.pushes.push(updates);
  }
  figures(item: string): number[] {
    return this.pushes
      .flat()
      .filter((u) => u.item === item)
      .map((u) => u.available);
  }
}

class CountingBudget implements RateBudget {
  readonly target = 'test';
  acquired = 0;
  async acquire(): Promise<void> {
    this.acquired += 1;
  }
}

describe('availability publisher', () => {
  const store = SqliteStore.open({ file: ':memory:' });
  let av: Availability;
  const apply = (e: Envelope) => store.transaction((tx) => av.applyInventoryEvent(e, tx));

  beforeAll(async () => {
    await store.migrate();
    av = await Availability.open({ store, policies: testConfig });
  });
  afterAll(async () => store.close());

  it('pushes threshold crossings and large moves, and skips small ones', async () => {
    const sink = new RecordingSink();
    const budget = new CountingBudget();
    const publisher = new AvailabilityPublisher({ availability: av, sinks: { web: sink }, budgets: { web: budget } });
    publisher.start();
    // web: buffer 2, low stock 5, min change 10.
    await apply(movement('receipt', 'PUB-1', 'DAL', 50)); // 48: first figure
    await until(() => sink.figures('PUB-1').length === 1);
    await apply(movement('pick', 'PUB-1', 'DAL', 3)); // 45: a move of 3, not pushed
    await apply(movement('pick', 'PUB-1', 'DAL', 37)); // 8: a move of 40 from the last pushed 48
    await until(() => sink.figures('PUB-1').length === 2);
    await apply(movement('pick', 'PUB-1', 'DAL', 4)); // 4: below low stock
    await until(() => sink.figures('PUB-1').length === 3);
    await apply(movement('pick', 'PUB-1', 'DAL', 4)); // 0: out of stock
    await until(() => sink.figures('PUB-1').length === 4);
    await publisher.stop();
    expect(sink.figures('PUB-1')).toEqual([48, 8, 4, 0]);
    expect(budget.acquired).toBe(sink.pushes.length);
  });

  it('batches changes by size and spends one budget unit per push', async () => {
    const sink = new RecordingSink();
    const budget = new CountingBudget();
    const publisher = new AvailabilityPublisher({ availability: av, sinks: { web: sink }, budgets: { web: budget } });
    publisher.start();
    const items = Array.from({ length: 7 }, (_, i) => `BATCH-${i}`);
    await apply(
      snapshot(
        'erp',
        items.map((item) => ({ item, location: 'RNO', onHand: 30 })),
      ),
    );
    await until(() => sink.pushes.flat().length === 7);
    await publisher.stop();
    // batchSize 3 in the test policy.
    expect(sink.pushes.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(budget.acquired).toBe(3);
  });

  it('keeps updates when a push fails and delivers them on retry', async () => {
    const sink = new RecordingSink();
    sink.failNext = 1;
    const publisher = new AvailabilityPublisher({ availability: av, sinks: { web: sink }, budgets: { web: new CountingBudget() } });
    publisher.start();
    await apply(movement('receipt', 'RETRY-1', 'DAL', 20));
    await until(() => sink.figures('RETRY-1').length === 1);
    await publisher.stop();
    expect(sink.figures('RETRY-1')).toEqual([18]);
  });

  it('drops a batch the channel refuses for good, and the next figures still flow', async () => {
    const sink = new RecordingSink();
    sink.refuse = (u) => u.item === 'GONE-1';
    const refused: string[] = [];
    const publisher = new AvailabilityPublisher({
      availability: av,
      sinks: { web: sink },
      budgets: { web: new CountingBudget() },
      onRefused: (_channel, batch, err) => refused.push(`${batch.map((u) => u.item).join(',')}: ${err.code}`),
    });
    publisher.start();
    await apply(movement('receipt', 'GONE-1', 'DAL', 20));
    await until(() => refused.length === 1);
    await apply(movement('receipt', 'KEPT-1', 'DAL', 20));
    await until(() => sink.figures('KEPT-1').length === 1);
    await publisher.stop();
    expect(refused).toEqual(['GONE-1: CD_ERR_CONNECTOR_NOT_FOUND']);
    expect(sink.figures('GONE-1')).toEqual([]);
  });

  it('weighs a change against the figure being pushed, not an older one', async () => {
    const sink = new RecordingSink();
    let open: () => void = () => {};
    sink.gate = new Promise<void>((r) => {
      open = r;
    });
    const publisher = new AvailabilityPublisher({ availability: av, sinks: { web: sink }, budgets: { web: new CountingBudget() } });
    publisher.start();
    await apply(movement('receipt', 'SLOW-1', 'DAL', 50)); // 48, held at the channel
    await sleep(60);
    await apply(movement('pick', 'SLOW-1', 'DAL', 1)); // 47: a move of 1 from the 48 in flight
    await sleep(60);
    open();
    await until(() => sink.figures('SLOW-1').length === 1);
    await sleep(60);
    await publisher.stop();
    expect(sink.figures('SLOW-1')).toEqual([48]);
  });

  it('stops promptly while a channel is down', async () => {
    const sink = new RecordingSink();
    sink.failNext = 1_000;
    const publisher = new AvailabilityPublisher({ availability: av, sinks: { web: sink }, budgets: { web: new CountingBudget() } });
    publisher.start();
    await apply(movement('receipt', 'DOWN-1', 'DAL', 20));
    // Five failures in, the next backoff is 1.6 to 3.2 s.
    await until(() => sink.failNext <= 995, 8_000);
    const started = Date.now();
    await publisher.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(sink.figures('DOWN-1')).toEqual([]);
  });

  it('waits for the channel rate budget between pushes', async () => {
    const sink = new RecordingSink();
    const policies = {
      ...testConfig,
      channels: { ...testConfig.channels, web: { locations: ['DAL'], publish: { batchSize: 1, budget: { perSecond: 20, burst: 1 } } } },
    };
    const budgeted = new AvailabilityPublisher({ availability: await Availability.open({ store, policies }), sinks: { web: sink } });
    const started = Date.now();
    await budgeted.resyncChannel('web');
    const items = av.readModel.size;
    // One push per item at 20/s after a burst of 1.
    expect(Date.now() - started).toBeGreaterThanOrEqual(((items - 1) / 20) * 1000 - 30);
  });

  it('resyncs a whole channel with progress', async () => {
    const sink = new RecordingSink();
    const publisher = new AvailabilityPublisher({ availability: av, sinks: { web: sink }, budgets: { web: new CountingBudget() } });
    const progress: ResyncProgress[] = [];
    const result = await publisher.resyncChannel('web', (p) => progress.push(p));
    const total = av.readModel.size;
    expect(result.pushed).toBe(total);
    expect(new Set(sink.pushes.flat().map((u) => u.item)).size).toBe(total);
    expect(progress.at(-1)).toMatchObject({ channel: 'web', done: total, total });
    expect(renderProgressLine({ channel: 'web', done: 500, total: 2000, startedAt: 0, now: 2000 })).toBe(
      'resync web: 500/2,000 items (25%) · 250 items/s · eta 6s',
    );
    expect(renderProgressLine({ channel: 'web', done: 2000, total: 2000, startedAt: 0, now: 4000 })).toMatch(/\(100%\).*done$/);
  });
});
