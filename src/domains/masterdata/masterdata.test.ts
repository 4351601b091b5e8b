import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FRESH_STORES } from '../../store/testing/stores.js';
import { defaultRules, MasterData } from './index.js';

describe.each(FRESH_STORES)('master-data cross-reference on %s', (_name, open) => {
  let md: MasterData;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    const fresh = await open();
    drop = fresh.drop;
    await fresh.store.migrate();
    md = new MasterData(fresh.store, { rules: defaultRules('netsuite') });
  });
  afterEach(async () => drop());

  it('resolves system ids to the canonical id both ways, and repeating a link is harmless', async () => {
    expect(await md.link({ kind: 'customer', canonicalId: 'C-1', system: 'shopify', systemId: '77' })).toEqual({ created: true });
    expect(await md.link({ kind: 'customer', canonicalId: 'C-1', system: 'shopify', systemId: '77' })).toEqual({ created: false });
    await md.link({ kind: 'customer', canonicalId: 'C-1', system: 'netsuite', systemId: '1042' });
    expect(await md.canonicalId('customer', 'shopify', '77')).toBe('C-1');
    expect(await md.systemId('customer', 'C-1', 'netsuite')).toBe('1042');
    expect(await md.refs('customer', 'C-1')).toEqual({ shopify: '77', netsuite: '1042' });
    expect(await md.resolveRefs('customer', { web: 'x', shopify: '77' })).toBe('C-1');
    expect(await md.canonicalId('item', 'shopify', '77')).toBeUndefined();
  });

  it('refuses a system id bound to another object, and a second id in the same system', async () => {
    await md.link({ kind: 'customer', canonicalId: 'C-1', system: 'shopify', systemId: '77' });
    await expect(md.link({ kind: 'customer', canonicalId: 'C-2', system: 'shopify', systemId: '77' })).rejects.toMatchObject({
      code: 'CD_ERR_MASTERDATA_CONFLICT',
    });
    await expect(md.link({ kind: 'customer', canonicalId: 'C-1', system: 'shopify', systemId: '78' })).rejects.toMatchObject({
      code: 'CD_ERR_MASTERDATA_CONFLICT',
    });
  });

  it('lets only the system of record change a record another system wrote', async () => {
    await md.put('customer', 'C-1', { name: 'Acme' }, 'netsuite');
    await expect(md.put('customer', 'C-1', { name: 'Acme Web' }, 'shopify')).rejects.toMatchObject({ code: 'CD_ERR_MASTERDATA_NOT_OWNER' });
    const updated = await md.put('customer', 'C-1', { name: 'Acme Inc' }, 'netsuite');
    expect(updated.version).toBe(2);
    expect((await md.get('customer', 'C-1', (v) => v))?.data).toEqual({ name: 'Acme Inc' });
    // A record crossdock created before the ERP knew the customer may be replaced by the owner.
    await md.put('customer', 'C-9', { name: 'Web buyer' }, 'crossdock');
    expect((await md.put('customer', 'C-9', { name: 'Web buyer Ltd' }, 'netsuite')).source).toBe('netsuite');
  });
});
