import { expect } from 'vitest';
import { type SalesforceSim, startSalesforceSim } from '../../../sim/salesforce/index.js';
import type { ConnectorHarness } from '../../sdk/connector.contract.js';
import type { SalesforceCredentials } from '../credentials.js';
import { accountFromCustomer, customerFromAccount } from '../mappers/account.js';
import { salesforceConnector } from '../salesforce.connector.js';
import type { SalesforceSettings } from '../settings.js';

/** The external-id fields the simulator declares are `External_Id__c` and `ExtId__c`. */
export const SIM_EXTERNAL_ID = 'External_Id__c';

let sim: SalesforceSim;

export function simSettings(url: string): SalesforceSettings {
  return {
    instanceUrl: url,
    externalIdField: SIM_EXTERNAL_ID,
    rate: { perSecond: 25, burst: 25 },
    dailyLimitPauseMs: 300_000,
    queryBatchSize: 200,
    timeoutMs: 1500,
  };
}

/** `connectorContract('salesforce', salesforceContractHarness)`. */
export const salesforceContractHarness: ConnectorHarness<SalesforceSettings, SalesforceCredentials> = {
  spec: salesforceConnector,
  async start() {
    sim = await startSalesforceSim({ queryBatchSize: 2000 });
    const credentials: SalesforceCredentials = {
      kind: 'client-credentials',
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      loginUrl: sim.url,
      sessionTtlMinutes: 110,
    };
    return {
      settings: simSettings(sim.url),
      credentials,
      badCredentials: { ...credentials, clientSecret: 'wrong' },
      faults: sim.faults,
      stop: () => sim.close(),
    };
  },
  read: (instance) => instance.invoke('accounts.list', { limit: 5 }),
  readPath: '/query',
  // The simulator meters per day only; 25 per second is our own smoothing.
  simRatePerSecond: 25,
  pagination: {
    pageSize: 200,
    async seed(count) {
      for (let i = 0; i < count; i++) sim.seed('Account', { Name: `Seeded ${i}`, [SIM_EXTERNAL_ID]: `seed-${i}` });
    },
    async listKeys(instance) {
      const list = await instance.invoke('accounts.list', {});
      return Array.isArray(list) ? list.map((c) => JSON.stringify(c)) : [];
    },
  },
  create: {
    async run(instance, canonicalId) {
      const result = await instance.invoke('accounts.upsert', { customer: { id: canonicalId, name: `Customer ${canonicalId}` } });
      return { externalId: typeof result === 'object' && result !== null && 'id' in result ? String(result.id) : '' };
    },
    async count(canonicalId) {
      return sim.state.findBy('Account', SIM_EXTERNAL_ID, canonicalId).length;
    },
    path: `/sobjects/Account/${SIM_EXTERNAL_ID}`,
    method: 'PATCH',
  },
  mapping: [
    {
      name: 'Account -> Customer -> Account keeps every field (unknown ones in ext.salesforce)',
      check() {
        const account = {
          Id: '001000000000001AAA',
          [SIM_EXTERNAL_ID]: 'cus-1',
          Name: 'Acme Distribution',
          AccountNumber: 'C-1001',
          Phone: '+1 502 555 0100',
          Description: 'Key account',
          BillingStreet: '1 Main St\nSuite 4',
          BillingCity: 'Louisville',
          BillingState: 'KY',
          BillingPostalCode: '40202',
          BillingCountry: 'United States',
          ShippingStreet: '9 Dock Rd',
          ShippingCity: 'Louisville',
          ShippingCountry: 'US',
          Industry: 'Wholesale',
          Region__c: 'South',
          LastModifiedDate: '2026-03-02T09:00:00.000+0000',
        };
        const customer = customerFromAccount(account, SIM_EXTERNAL_ID);
        expect(customer).toMatchObject({
          id: 'cus-1',
          refs: { salesforce: account.Id },
          name: 'Acme Distribution',
          customerNumber: 'C-1001',
          billTo: { line1: '1 Main St', line2: 'Suite 4', city: 'Louisville', region: 'KY', postalCode: '40202' },
          shipTos: [{ address: { line1: '9 Dock Rd', country: 'US' } }],
        });
        expect(customer.ext.salesforce).toEqual({
          fields: {
            BillingCountry: 'United States',
            Industry: 'Wholesale',
            Region__c: 'South',
            LastModifiedDate: account.LastModifiedDate,
          },
        });
        expect(accountFromCustomer(customer, SIM_EXTERNAL_ID)).toEqual(account);
      },
    },
  ],
};
