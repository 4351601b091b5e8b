import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCanonicalEventCatalog, makeEvent } from '../../canonical/index.js';
import { SqlEventLog } from '../../eventlog/index.js';
import { silentLogger } from '../../kernel/index.js';
import { SqliteStore } from '../../store/index.js';
import { ExceptionActions } from './actions.js';
import { ExceptionQueue } from './exceptions.js';

let dir: string;
let store: SqliteStore;
let log: SqlEventLog;
let queue: ExceptionQueue;
let actions: ExceptionActions;
const seen: string[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cd-exc-actions-'));
  store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  log = new SqlEventLog({ store, catalog: createCanonicalEventCatalog(), logger: silentLogger(), pollIntervalMs: 10 });
  queue = new ExceptionQueue(store);
  actions = new ExceptionActions(queue, log);
  seen.length = 0;
  log.subscribe({ group: 'crm-sync', topic: 'orders', handler: async (e) => void seen.push(e.id) });
  await log.start();
});
afterEach(async () => {
  await log.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const cancelled = (orderId: string) =>
  makeEvent({
    type: 'crossdock.order.cancelled.v1',
    source: 'crossdock://test',
    data: { orderId, lineNumbers: [] },
    partitionkey: orderId,
  });

describe('exception actions', () => {
  it('replays the offered range to the group, and records who did it', async () => {
    const [first] = await log.publish('orders', [cancelled('so-1'), cancelled('so-2')]);
    await log.drain();
    expect(seen).toHaveLength(2);
    const e = await queue.raise({
      category: 'crm.out-of-sync',
      title: 'CRM missed two cancellations',
      source: 'test',
      subject: 'order/so-1',
      actions: [{ kind: 'replay', group: 'crm-sync', topic: 'orders', partition: first?.partition ?? 0, fromOffset: first?.offset ?? 0 }],
    });
    expect(actions.available(await queue.get(e.id))).toEqual(['resolve', 'assign', 'replay']);
    const outcome = await actions.run(e.id, { action: 'replay' }, 'olga');
    expect(outcome.ok).toBe(true);
    await log.drain();
    expect(seen.length).toBeGreaterThan(2);
    expect((await queue.historyOf(e.id)).map((h) => [h.action, h.actor])).toEqual([
      ['opened', 'system'],
      ['replayed', 'olga'],
    ]);
  });

  it('refuses an action the exception does not offer, and one whose runner is not plugged in', async () => {
    const e = await queue.raise({
      category: 'order.held',
      title: 'credit hold',
      source: 'flow',
      subject: 'order/so-3',
      actions: [{ kind: 'retry-flow', flow: 'order-to-cash', key: 'so-3' }],
    });
    await expect(actions.run(e.id, { action: 'replay' }, 'olga')).rejects.toMatchObject({ code: 'CD_ERR_EXCEPTION_ACTION_UNAVAILABLE' });
    await expect(actions.run(e.id, { action: 'retry' }, 'olga')).rejects.toMatchObject({ code: 'CD_ERR_EXCEPTION_ACTION_UNAVAILABLE' });
    const retried: string[] = [];
    actions.register('retry-flow', async (a) => {
      if (a.kind === 'retry-flow') retried.push(`${a.flow}/${a.key}`);
      return { retried: true };
    });
    expect(await actions.run(e.id, { action: 'retry' }, 'olga')).toMatchObject({ ok: true, result: { retried: true } });
    expect(retried).toEqual(['order-to-cash/so-3']);
  });
});
