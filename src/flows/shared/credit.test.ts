import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../store/index.js';
import { FRESH_STORES } from '../../store/testing/stores.js';
import { CreditLedger } from './credit.js';

describe.each(FRESH_STORES)('credit ledger on %s', (_name, open) => {
  let store: Store;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    ({ store, drop } = await open());
    await store.migrate();
  });
  afterEach(async () => drop());

  it('counts each order once against its customer, checks the limit without the order itself, and forgets a withdrawn order', async () => {
    const credit = new CreditLedger(store);
    await credit.expose({ customerId: 'C-1', orderId: 'SO-1', amount: '60.00', currency: 'USD' });
    await credit.expose({ customerId: 'C-1', orderId: 'SO-1', amount: '60.00', currency: 'USD' });
    await credit.expose({ customerId: 'C-1', orderId: 'SO-2', amount: '25.50', currency: 'USD' });
    await credit.expose({ customerId: 'C-2', orderId: 'SO-3', amount: '999.00', currency: 'USD' });
    expect(await credit.exposure('C-1')).toBe('85.50');
    expect(await credit.exposure('C-1', 'SO-2')).toBe('60.00');
    // SO-2 re-checked: 60.00 open besides it, + 25.50 = 85.50 within 100.
    expect(await credit.check({ customerId: 'C-1', orderId: 'SO-2', amount: '25.50', limit: '100.00' })).toMatchObject({ ok: true });
    expect(await credit.check({ customerId: 'C-1', orderId: 'SO-4', amount: '20.00', limit: '100.00' })).toEqual({
      ok: false,
      limit: '100.00',
      exposure: '85.50',
      orderAmount: '20.00',
    });
    await credit.withdraw('SO-1');
    expect(await credit.exposure('C-1')).toBe('25.50');
    expect(await credit.check({ customerId: 'C-1', orderId: 'SO-4', amount: '20.00', limit: '100.00' })).toMatchObject({ ok: true });
  });
});
