import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../canonical/index.js';
import { ManualClock } from '../../kernel/index.js';
import { SqliteStore } from '../../store/index.js';
import { Availability } from './availability.js';
import { asn, movement, testConfig } from './testing/fixtures.js';

describe('promise dates', () => {
  const store = SqliteStore.open({ file: ':memory:' });
  // Monday 2026-01-05, 10:00 in Dallas, 08:00 in Reno: before both cut-offs.
  const clock = new ManualClock(Date.parse('2026-01-05T16:00:00Z'));
  let av: Availability;
  const apply = (e: Envelope) => store.transaction((tx) => av.applyInventoryEvent(e, tx));
  const south = { country: 'US', postalCode: '75201' };

  beforeAll(async () => {
    await store.migrate();
    av = await Availability.open({ store, policies: testConfig, clock });
    await apply(movement('receipt', 'P1', 'DAL', 10));
    await apply(movement('receipt', 'P1', 'RNO', 50));
    await apply(asn('ASN-P2', 'DAL', [{ item: 'P2', qty: 30 }], '2026-01-07T14:00:00Z'));
  });
  afterAll(async () => store.close());

  it('serves a line from the location that delivers soonest', () => {
    const p = av.promise({ lines: [{ item: 'P1', qty: 5 }], shipTo: south, channel: 'web' });
    expect(p).toMatchObject({ region: 'south', complete: true, shipDate: '2026-01-05', deliveryDate: '2026-01-06' });
    expect(p.lines[0]?.sources).toEqual([{ location: 'DAL', qty: 5, from: 'stock', shipDate: '2026-01-05', deliveryDate: '2026-01-06' }]);
  });

  it('ships from one location rather than split when the split would not arrive sooner', () => {
    const p = av.promise({ lines: [{ item: 'P1', qty: 20 }], shipTo: south, channel: 'web' });
    expect(p.lines[0]?.sources.map((s) => [s.location, s.qty])).toEqual([['RNO', 20]]);
    expect(p.deliveryDate).toBe('2026-01-08');
  });

  it('splits across locations when no single one can cover the line, and reports a shortfall', () => {
    const p = av.promise({ lines: [{ item: 'P1', qty: 60 }], shipTo: south, channel: 'web' });
    // DAL 10 - 2 buffer = 8, RNO 50 - 2 = 48.
    expect(p.lines[0]).toMatchObject({ promised: 56, shortfall: 4 });
    expect(p.lines[0]?.sources.map((s) => [s.location, s.qty])).toEqual([
      ['DAL', 8],
      ['RNO', 48],
    ]);
    expect(p.complete).toBe(false);
  });

  it('promises in-transit goods from the working day after their arrival', () => {
    const p = av.promise({ lines: [{ item: 'P2', qty: 10 }], shipTo: south, channel: 'web' });
    expect(p.lines[0]?.sources).toEqual([
      { location: 'DAL', qty: 10, from: 'in-transit', ref: 'ASN-P2', shipDate: '2026-01-08', deliveryDate: '2026-01-09' },
    ]);
    // The buffer of 2 comes out of the arriving goods: 28 of 30 can be promised.
    expect(av.promise({ lines: [{ item: 'P2', qty: 30 }], shipTo: south, channel: 'web' }).lines[0]?.promised).toBe(28);
    // b2b does not count in-transit stock at all.
    expect(av.promise({ lines: [{ item: 'P2', qty: 1 }], shipTo: south, channel: 'b2b' }).lines[0]?.promised).toBe(0);
  });

  it('honours the cut-off and holidays of the serving location', () => {
    // Friday 16th, 16:00 in Dallas: after the cut-off; Monday 19th is a holiday there.
    const p = av.promise({ lines: [{ item: 'P1', qty: 5 }], shipTo: south, channel: 'b2b', at: '2026-01-16T22:00:00Z' });
    expect(p).toMatchObject({ shipDate: '2026-01-20', deliveryDate: '2026-01-21' });
  });

  it('rejects bad lines and an unknown region, naming each field', () => {
    let caught: unknown;
    try {
      av.promise({
        lines: [
          { item: 'P1', qty: -1 },
          { item: 'NOPE', qty: 1 },
        ],
        shipTo: { country: 'FR', postalCode: '75001' },
        channel: 'web',
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({
      code: 'CD_ERR_VALIDATION',
      details: {
        issues: [
          { path: 'lines[0].qty', message: 'expected a positive whole number, got -1' },
          { path: 'lines[1].item', message: 'unknown item NOPE' },
          { path: 'shipTo', message: expect.stringContaining('no configured region') },
        ],
      },
    });
  });
});
