import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/index.js';
import { describeOf, type SObjectDescribe } from './objects.js';
import { SalesforceStore, type SfRecord, type SalesforceStore as Store } from './store.js';

function account(): SObjectDescribe {
  const d = describeOf('Account');
  if (!d) throw new Error('Account is not described');
  return d;
}

function created(store: Store, fields: Record<string, unknown>): SfRecord {
  const out = store.create(account(), fields);
  if (!out.ok) throw new Error(`create failed: ${JSON.stringify(out.response)}`);
  return out.value;
}

const names = (records: SfRecord[]) => records.map((r) => r.Name);

describe('Salesforce simulator store: lookups by field', () => {
  it('finds records created before and after the first lookup, and follows updates and deletes', () => {
    const store = new SalesforceStore(new ManualClock());
    const a = created(store, { Name: 'A', External_Id__c: 'X1' });
    expect(names(store.findBy('Account', 'External_Id__c', 'X1'))).toEqual(['A']);
    created(store, { Name: 'B', External_Id__c: 'X2' });
    expect(names(store.findBy('Account', 'External_Id__c', 'X2'))).toEqual(['B']);

    expect(store.update(account(), a.Id, { External_Id__c: 'X9' }).ok).toBe(true);
    expect(store.findBy('Account', 'External_Id__c', 'X1')).toEqual([]);
    expect(names(store.findBy('Account', 'External_Id__c', 'X9'))).toEqual(['A']);

    expect(store.update(account(), a.Id, { External_Id__c: null }).ok).toBe(true);
    expect(store.findBy('Account', 'External_Id__c', 'X9')).toEqual([]);

    expect(store.delete('Account', a.Id)).toBe(true);
    expect(store.findBy('Account', 'Name', 'A')).toEqual([]);
  });

  it('lists every record holding a value, in the order they were created', () => {
    const store = new SalesforceStore(new ManualClock());
    const first = created(store, { Name: 'First', External_Id__c: 'DUP' });
    created(store, { Name: 'Second', External_Id__c: 'DUP' });
    expect(names(store.findBy('Account', 'External_Id__c', 'DUP'))).toEqual(['First', 'Second']);
    // An update moves nothing in the order.
    expect(store.update(account(), first.Id, { Phone: '555' }).ok).toBe(true);
    expect(names(store.findBy('Account', 'External_Id__c', 'DUP'))).toEqual(['First', 'Second']);
  });

  it('forgets what a rolled-back request wrote and finds what it changed as it was', () => {
    const store = new SalesforceStore(new ManualClock());
    const a = created(store, { Name: 'A', External_Id__c: 'X1' });
    const b = created(store, { Name: 'B', External_Id__c: 'X2' });
    expect(store.findBy('Account', 'External_Id__c', 'X1')).toHaveLength(1);
    const tx = store.snapshot();
    created(store, { Name: 'C', External_Id__c: 'X3' });
    expect(store.update(account(), a.Id, { External_Id__c: 'X4' }).ok).toBe(true);
    expect(store.delete('Account', b.Id)).toBe(true);
    expect(names(store.findBy('Account', 'External_Id__c', 'X3'))).toEqual(['C']);
    tx.restore();
    expect(store.findBy('Account', 'External_Id__c', 'X3')).toEqual([]);
    expect(store.findBy('Account', 'External_Id__c', 'X4')).toEqual([]);
    expect(names(store.findBy('Account', 'External_Id__c', 'X1'))).toEqual(['A']);
    expect(names(store.findBy('Account', 'External_Id__c', 'X2'))).toEqual(['B']);
  });
});
