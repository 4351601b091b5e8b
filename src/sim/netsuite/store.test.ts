import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/index.js';
import { recordTypeOf } from './records.js';
import { NetSuiteStore, type NsRecord } from './store.js';

const customer = (() => {
  const spec = recordTypeOf('customer');
  if (!spec) throw new Error('customer is not a record type');
  return spec;
})();

function created(store: NetSuiteStore, body: Record<string, unknown>): NsRecord {
  const out = store.create(customer, body);
  if (!out.ok) throw new Error(`create failed: ${JSON.stringify(out.response.body)}`);
  return out.value;
}

describe('NetSuite simulator store: external ids', () => {
  it('finds a record by external id through renames and deletes, and keeps external ids unique', () => {
    const store = new NetSuiteStore(new ManualClock());
    const a = created(store, { companyName: 'A', externalId: 'C-1' });
    expect(store.find('customer', 'eid:C-1')?.id).toBe(a.id);
    expect(store.create(customer, { companyName: 'Again', externalId: 'C-1' }).ok).toBe(false);

    expect(store.update(customer, a, { externalId: 'C-2' }).ok).toBe(true);
    expect(store.byExternalId('customer', 'C-1')).toBeUndefined();
    expect(store.byExternalId('customer', 'C-2')?.id).toBe(a.id);
    // The old external id is free again; the new one is taken.
    const b = created(store, { companyName: 'B', externalId: 'C-1' });
    expect(store.update(customer, b, { externalId: 'C-2' }).ok).toBe(false);
    expect(store.byExternalId('customer', 'C-1')?.id).toBe(b.id);

    expect(store.delete('customer', a.id)).toBe(true);
    expect(store.byExternalId('customer', 'C-2')).toBeUndefined();
    expect(created(store, { companyName: 'C', externalId: 'C-2' }).externalId).toBe('C-2');
    expect(store.delete('customer', a.id)).toBe(false);
  });
});
