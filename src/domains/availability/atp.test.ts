import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../canonical/index.js';
import { ManualClock } from '../../kernel/index.js';
import { SqliteStore } from '../../store/index.js';
import { Availability } from './availability.js';
import { loadPolicies } from './policy.js';
import { asn, movement, snapshot, testConfig } from './testing/fixtures.js';

describe('policies', () => {
  it('refuse a config naming an unknown location, with the path of the bad field', () => {
    const bad = { ...testConfig, channels: { web: { locations: ['DAL', 'NOPE'] } } };
    expect(() => loadPolicies(bad)).toThrow(/channels\.web\.locations\.1: unknown location NOPE/);
  });

  it('refuse a ring-fence for both a channel and a customer', () => {
    const bad = { ...testConfig, ringFences: [{ item: 'X', location: 'DAL', quantity: 1, channel: 'web', customer: 'KEY1' }] };
    expect(() => loadPolicies(bad)).toThrow(/exactly one channel or one customer/);
  });

  it('refuse an unknown time zone', () => {
    const bad = { ...testConfig, locations: [{ code: 'DAL', timeZone: 'Mars/Olympus', calendar: { cutOffTime: '15:00' } }] };
    expect(() => loadPolicies(bad)).toThrow(/locations\.0\.timeZone/);
  });
});

describe('available to promise', () => {
  const store = SqliteStore.open({ file: ':memory:' });
  const clock = new ManualClock(Date.parse('2026-01-05T12:00:00Z'));
  let av: Availability;
  const apply = (e: Envelope) => store.transaction((tx) => av.applyInventoryEvent(e, tx));

  beforeAll(async () => {
    await store.migrate();
    av = await Availability.open({ store, policies: testConfig, clock });
  });
  afterAll(async () => store.close());

  it('subtracts allocations, reservations, holds and the channel buffer, and explains each step', async () => {
    await apply(movement('receipt', 'SKU-1', 'DAL', 100));
    await apply(movement('allocate', 'SKU-1', 'DAL', 10));
    await apply(movement('reserve', 'SKU-1', 'DAL', 5));
    await apply(movement('hold', 'SKU-1', 'DAL', 3));
    const view = av.get({ items: ['SKU-1'], channel: 'web', explain: true });
    const dal = view.items[0]?.locations.find((l) => l.location === 'DAL');
    expect(dal?.available).toBe(100 - 10 - 5 - 3 - 2);
    expect(dal?.explain?.map((s) => [s.step, s.quantity])).toEqual([
      ['on hand', 100],
      ['allocated', -10],
      ['reserved', -5],
      ['quality hold', -3],
      ['excluded lots', 0],
      ['safety buffer', -2],
    ]);
    // b2b has no buffer and only DAL.
    expect(av.get({ items: ['SKU-1'], channel: 'b2b' }).items[0]).toMatchObject({
      available: 82,
      locations: [{ location: 'DAL', available: 82 }],
    });
  });

  it('sums locations of the channel group into the total', async () => {
    await apply(movement('receipt', 'SKU-2', 'DAL', 10));
    await apply(movement('receipt', 'SKU-2', 'RNO', 20));
    const item = av.get({ items: ['SKU-2'], channel: 'web' }).items[0];
    expect(item?.locations.map((l) => [l.location, l.available])).toEqual([
      ['DAL', 8],
      ['RNO', 18],
    ]);
    expect(item?.available).toBe(26);
  });

  it('takes a percent buffer of on hand, rounded up, for a customer with its own policy', async () => {
    const policies = loadPolicies({ ...testConfig, customers: { PCT: { buffer: { kind: 'percent', percent: 15 } } } });
    const other = await Availability.open({ store, policies, clock });
    const view = other.get({ items: ['SKU-2'], channel: 'web', customer: 'PCT', explain: true });
    // DAL 10 on hand: 15% -> 1.5 -> 2; RNO 20: 3.
    expect(view.items[0]?.locations.map((l) => l.available)).toEqual([8, 17]);
    expect(view.items[0]?.locations[0]?.explain).toContainEqual({ step: 'safety buffer', quantity: -2, detail: '15% of on hand' });
  });

  it('excludes lots expiring within the policy window', async () => {
    await apply(
      snapshot('erp', [
        {
          item: 'SKU-LOT',
          location: 'DAL',
          onHand: 30,
          lots: [
            { lot: 'L-OLD', expiry: '2026-01-20', qty: 12 },
            { lot: 'L-NEW', expiry: '2026-06-01', qty: 18 },
          ],
        },
      ]),
    );
    const view = av.get({ items: ['SKU-LOT'], channel: 'web', explain: true });
    const dal = view.items[0]?.locations[0];
    expect(dal?.available).toBe(30 - 12 - 2);
    expect(dal?.explain?.find((s) => s.step === 'excluded lots')).toMatchObject({ quantity: -12 });
    // b2b has no exclusion policy.
    expect(av.get({ items: ['SKU-LOT'], channel: 'b2b' }).items[0]?.available).toBe(30);
  });

  it('counts in-transit stock only when its ETA is within the horizon', async () => {
    await apply(asn('ASN-SOON', 'RNO', [{ item: 'SKU-IT', qty: 40 }], '2026-01-08T12:00:00Z'));
    await apply(asn('ASN-LATE', 'RNO', [{ item: 'SKU-IT', qty: 60 }], '2026-02-20T12:00:00Z'));
    const view = av.get({ items: ['SKU-IT'], channel: 'web', explain: true });
    const rno = view.items[0]?.locations.find((l) => l.location === 'RNO');
    // 0 on hand - 2 buffer + 40 due within 7 days; the February ASN waits.
    expect(rno?.available).toBe(38);
    expect(rno?.explain?.filter((s) => s.step === 'in transit').map((s) => s.quantity)).toEqual([0, 40]);
  });

  it('keeps ring-fenced units from everyone but their customer, netting what the customer already took', async () => {
    await apply(movement('receipt', 'SKU-FENCE', 'DAL', 25));
    expect(av.get({ items: ['SKU-FENCE'], channel: 'b2b' }).items[0]?.available).toBe(15);
    expect(av.get({ items: ['SKU-FENCE'], channel: 'b2b', customer: 'KEY1' }).items[0]?.available).toBe(25);
    await av.reserve({ order: 'SO-KEY1', channel: 'b2b', customer: 'KEY1', lines: [{ line: '1', item: 'SKU-FENCE', qty: 4 }] });
    // 25 - 4 reserved - (10 - 4) still fenced = 15 for others; the key account sees 21.
    expect(av.get({ items: ['SKU-FENCE'], channel: 'b2b' }).items[0]?.available).toBe(15);
    expect(av.get({ items: ['SKU-FENCE'], channel: 'b2b', customer: 'KEY1' }).items[0]?.available).toBe(21);
  });

  it("nets a channel ring-fence with that channel's own reservations only, and a rebuilt read model agrees", async () => {
    const fenced = SqliteStore.open({ file: ':memory:' });
    await fenced.migrate();
    const config = { ...testConfig, ringFences: [{ item: 'SKU-CF', location: 'DAL', quantity: 8, channel: 'b2b' }] };
    const a = await Availability.open({ store: fenced, policies: config, clock });
    const dal = (channel: string) => a.get({ items: ['SKU-CF'], channel }).items[0]?.locations.find((l) => l.location === 'DAL')?.available;
    await fenced.transaction((tx) => a.applyInventoryEvent(movement('receipt', 'SKU-CF', 'DAL', 30), tx));
    // web: 30 - 8 fenced - 2 buffer; b2b owns the fence.
    expect([dal('web'), dal('b2b')]).toEqual([20, 30]);
    await a.reserve({ order: 'SO-WEB', channel: 'web', customer: 'C1', lines: [{ line: '1', item: 'SKU-CF', qty: 5, location: 'DAL' }] });
    // A web reservation takes nothing from the fence.
    expect([dal('web'), dal('b2b')]).toEqual([15, 25]);
    expect(a.position('SKU-CF', 'DAL')?.partyUse).toEqual({});
    await a.reserve({ order: 'SO-B2B', channel: 'b2b', customer: 'C2', lines: [{ line: '1', item: 'SKU-CF', qty: 3, location: 'DAL' }] });
    expect(a.position('SKU-CF', 'DAL')?.partyUse).toEqual({ 'channel:b2b': 3 });
    // web: 30 - 8 reserved - (8 - 3) still fenced - 2 buffer; b2b: 30 - 8 reserved.
    expect([dal('web'), dal('b2b')]).toEqual([15, 22]);
    await a.commit({ order: 'SO-B2B' });
    expect(a.position('SKU-CF', 'DAL')?.partyUse).toEqual({ 'channel:b2b': 3 });
    await a.release({ order: 'SO-WEB' });
    expect([dal('web'), dal('b2b')]).toEqual([20, 27]);
    const rebuilt = await Availability.open({ store: fenced, policies: config, clock });
    expect(rebuilt.position('SKU-CF', 'DAL')).toEqual(a.position('SKU-CF', 'DAL'));
    await a.release({ order: 'SO-B2B' });
    expect(a.position('SKU-CF', 'DAL')?.partyUse).toEqual({});
    expect([dal('web'), dal('b2b')]).toEqual([20, 30]);
    await fenced.close();
  });

  it('never shows a negative figure, and explains the floor', async () => {
    await apply(movement('receipt', 'SKU-LOW', 'DAL', 1));
    const dal = av.get({ items: ['SKU-LOW'], channel: 'web', explain: true }).items[0]?.locations[0];
    expect(dal?.available).toBe(0);
    expect(dal?.explain?.at(-1)).toEqual({ step: 'floor at zero', quantity: 1 });
  });

  it('rejects unknown items and channels, and more than 1,000 items, naming the field', () => {
    expect(() => av.get({ items: ['SKU-1', 'NOPE'], channel: 'web' })).toThrow(/items\[1\]: unknown item NOPE/);
    expect(() => av.get({ items: ['SKU-1'], channel: 'fax' })).toThrow(/channel: unknown channel fax/);
    expect(() => av.get({ items: Array.from({ length: 1001 }, () => 'SKU-1'), channel: 'web' })).toThrow(/at most 1000 items/);
    // Listed in the policy but never stocked: known, zero.
    expect(av.get({ items: ['SKU-NEW'], channel: 'web' }).items[0]?.available).toBe(0);
  });
});
