import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalesce.js';

interface Item {
  key: string;
  value: number;
}

/** A coalescer whose requests are recorded; `refuse` names items the "system" refuses. */
function recorder(options: { max?: number; refuse?: (i: Item) => boolean; failWhole?: boolean } = {}) {
  const requests: Array<{ kind: 'one' | 'many'; items: Item[] }> = [];
  const coalescer = new Coalescer<Item>({
    windowMs: 5,
    max: options.max ?? 10,
    keys: (i) => [i.key],
    async sendOne(item) {
      requests.push({ kind: 'one', items: [item] });
      if (options.refuse?.(item)) throw new Error(`refused ${item.value}`);
    },
    async sendMany(items) {
      requests.push({ kind: 'many', items: [...items] });
      if (options.failWhole) throw new Error('request failed');
      return items.map((i) => (options.refuse?.(i) ? new Error(`refused ${i.value}`) : undefined));
    },
  });
  return { coalescer, requests };
}

const outcome = (r: PromiseSettledResult<void>) => (r.status === 'fulfilled' ? 'ok' : String((r.reason as Error).message));

describe('Coalescer', () => {
  it('sends items asked for within its window as one request, and a lone item alone', async () => {
    const { coalescer, requests } = recorder();
    await Promise.all([1, 2, 3].map((v) => coalescer.send({ key: `k${v}`, value: v })));
    await coalescer.send({ key: 'k9', value: 9 });
    expect(requests.map((r) => [r.kind, r.items.map((i) => i.value)])).toEqual([
      ['many', [1, 2, 3]],
      ['one', [9]],
    ]);
  });

  it('splits at its maximum and puts a key already in a request into the next, keeping the order', async () => {
    const { coalescer, requests } = recorder({ max: 2 });
    await Promise.all([
      coalescer.send({ key: 'a', value: 1 }),
      coalescer.send({ key: 'a', value: 2 }),
      coalescer.send({ key: 'b', value: 3 }),
      coalescer.send({ key: 'c', value: 4 }),
    ]);
    expect(requests.map((r) => r.items.map((i) => i.value))).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it('tells each caller its own outcome, and fails every caller of a request that failed as a whole', async () => {
    const some = recorder({ refuse: (i) => i.value === 2 });
    const settled = await Promise.allSettled([1, 2, 3].map((v) => some.coalescer.send({ key: `k${v}`, value: v })));
    expect(settled.map(outcome)).toEqual(['ok', 'refused 2', 'ok']);

    const whole = recorder({ failWhole: true });
    const failed = await Promise.allSettled([1, 2].map((v) => whole.coalescer.send({ key: `k${v}`, value: v })));
    expect(failed.map(outcome)).toEqual(['request failed', 'request failed']);

    const lone = recorder({ refuse: () => true });
    await expect(lone.coalescer.send({ key: 'x', value: 7 })).rejects.toThrow('refused 7');
  });
});
