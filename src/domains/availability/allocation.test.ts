import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/index.js';
import { Availability } from './availability.js';
import { movement, openTestStore, type StoreKind, testConfig } from './testing/fixtures.js';

interface PositionRow {
  item: string;
  on_hand: number;
  allocated: number;
  reserved: number;
  held: number;
}

describe.each<StoreKind>(['sqlite', 'postgres'])('allocation on %s', (kind) => {
  let store: Store;
  let extra: () => Store;
  let close: () => Promise<void>;
  let av: Availability;

  beforeAll(async () => {
    ({ store, extra, close } = await openTestStore(kind));
    av = await Availability.open({ store, policies: testConfig });
  });
  afterAll(async () => close());

  const receive = (a: Availability, s: Store, item: string, qty: number) =>
    s.transaction((tx) => a.applyInventoryEvent(movement('receipt', item, 'DAL', qty), tx));

  it('reserves, commits and releases, moving units between buckets', async () => {
    await receive(av, store, 'AL-1', 10);
    const r = await av.reserve({ order: 'SO-1', channel: 'b2b', lines: [{ line: '1', item: 'AL-1', qty: 4 }] });
    expect(r.lines[0]).toMatchObject({ reserved: 4, replayed: false, locations: [{ location: 'DAL', quantity: 4 }] });
    expect(av.position('AL-1', 'DAL')).toMatchObject({ onHand: 10, reserved: 4, allocated: 0 });
    await av.commit({ order: 'SO-1' });
    expect(av.position('AL-1', 'DAL')).toMatchObject({ reserved: 0, allocated: 4 });
    await av.release({ order: 'SO-1' });
    expect(av.position('AL-1', 'DAL')).toMatchObject({ reserved: 0, allocated: 0 });
    expect(av.get({ items: ['AL-1'], channel: 'b2b' }).items[0]?.available).toBe(10);
  });

  it('is idempotent by (order, line): a retried or concurrent reserve changes nothing', async () => {
    await receive(av, store, 'AL-2', 10);
    const request = { order: 'SO-2', channel: 'b2b', lines: [{ line: '1', item: 'AL-2', qty: 3 }] };
    const other = await Availability.open({ store: extra(), policies: testConfig });
    const results = await Promise.all([av.reserve(request), other.reserve(request), av.reserve(request)]);
    expect(results.map((r) => r.lines[0]?.reserved)).toEqual([3, 3, 3]);
    expect(results.filter((r) => r.lines[0]?.replayed === false)).toHaveLength(1);
    await av.refresh();
    expect(av.position('AL-2', 'DAL')?.reserved).toBe(3);
    expect((await av.release({ order: 'SO-2' })).changed).toBe(1);
    expect((await av.release({ order: 'SO-2' })).changed).toBe(0);
    expect(av.position('AL-2', 'DAL')?.reserved).toBe(0);
  });

  it('reserves nothing when a line is short, unless partial reservations are asked for', async () => {
    await receive(av, store, 'AL-3', 5);
    await receive(av, store, 'AL-4', 5);
    const lines = [
      { line: '1', item: 'AL-3', qty: 2 },
      { line: '2', item: 'AL-4', qty: 9 },
    ];
    await expect(av.reserve({ order: 'SO-3', channel: 'b2b', lines })).rejects.toMatchObject({
      code: 'CD_ERR_AVAILABILITY_INSUFFICIENT',
      errorClass: 'business',
      details: { path: 'lines.1.qty', requested: 9, available: 5 },
    });
    expect(av.position('AL-3', 'DAL')?.reserved).toBe(0);
    const partial = await av.reserve({ order: 'SO-3', channel: 'b2b', lines, partial: true });
    expect(partial.lines.map((l) => l.reserved)).toEqual([2, 5]);
  });

  it('never exceeds ATP under random concurrent reservations and releases from several processes', async () => {
    const processes = [
      av,
      await Availability.open({ store: extra(), policies: testConfig }),
      await Availability.open({ store: extra(), policies: testConfig }),
    ];
    let run = 0;
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('reserve' as const),
        order: fc.integer({ min: 0, max: 7 }),
        lines: fc.array(fc.record({ item: fc.integer({ min: 0, max: 2 }), qty: fc.integer({ min: 1, max: 9 }) }), {
          minLength: 1,
          maxLength: 3,
        }),
        channel: fc.constantFrom('b2b', 'web'),
        partial: fc.boolean(),
        process: fc.integer({ min: 0, max: 2 }),
      }),
      fc.record({
        kind: fc.constantFrom('release' as const, 'commit' as const),
        order: fc.integer({ min: 0, max: 7 }),
        process: fc.integer({ min: 0, max: 2 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 3, maxLength: 3 }),
        fc.array(op, { minLength: 5, maxLength: 30 }),
        async (stock, ops) => {
          run += 1;
          const items = stock.map((_, i) => `PB-${run}-${i}`);
          for (const [i, qty] of stock.entries()) if (qty > 0) await receive(av, store, items[i] ?? '', qty);
          await Promise.all(
            ops.map(async (o) => {
              const p = processes[o.process] ?? av;
              const order = `SO-${run}-${o.order}`;
              try {
                if (o.kind === 'reserve') {
                  await p.reserve({
                    order,
                    channel: o.channel,
                    partial: o.partial,
                    lines: o.lines.map((l, n) => ({ line: String(n + 1), item: items[l.item] ?? '', qty: l.qty })),
                  });
                } else if (o.kind === 'release') await p.release({ order });
                else await p.commit({ order });
              } catch (err) {
                // Expected outcomes: not enough stock, or the same (order, line) asked again for another item.
                if (
                  !(
                    err instanceof Error &&
                    'code' in err &&
                    (err.code === 'CD_ERR_AVAILABILITY_INSUFFICIENT' || err.code === 'CD_ERR_AVAILABILITY_LINE_CONFLICT')
                  )
                )
                  throw err;
              }
            }),
          );
          const marks = items.map(() => '?').join(', ');
          const positions = await store.transaction((tx) =>
            tx.all<PositionRow>(
              `select item, on_hand, allocated, reserved, held from av_positions where location = 'DAL' and item in (${marks})`,
              items,
            ),
          );
          const sums = await store.transaction((tx) =>
            tx.all<{ item: string; status: string; total: number | string }>(
              `select item, status, sum(quantity) as total from av_reservations where item in (${marks}) group by item, status`,
              items,
            ),
          );
          for (const p of positions) {
            const onHand = Number(p.on_hand);
            const reserved = Number(p.reserved);
            const allocated = Number(p.allocated);
            // Never promised more than there is, never negative.
            expect(reserved).toBeGreaterThanOrEqual(0);
            expect(allocated).toBeGreaterThanOrEqual(0);
            expect(onHand - reserved - allocated).toBeGreaterThanOrEqual(0);
            const sum = (status: string) => Number(sums.find((s) => s.item === p.item && s.status === status)?.total ?? 0);
            expect(reserved).toBe(sum('reserved'));
            expect(allocated).toBe(sum('committed'));
          }
          // Every process's memory agrees with the store once it has caught up.
          for (const proc of processes) {
            await proc.refresh();
            for (const p of positions) {
              expect(proc.position(p.item, 'DAL')).toMatchObject({
                onHand: Number(p.on_hand),
                reserved: Number(p.reserved),
                allocated: Number(p.allocated),
              });
              expect(proc.get({ items: [p.item], channel: 'b2b' }).items[0]?.available).toBe(
                Number(p.on_hand) - Number(p.reserved) - Number(p.allocated),
              );
            }
          }
        },
      ),
      { numRuns: kind === 'sqlite' ? 25 : 15 },
    );
  });
});
