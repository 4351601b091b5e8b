import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerV1, SalesOrderV1 } from '../../../canonical/index.js';
import { SIM_EXTERNAL_ID } from '../../../connectors/salesforce/testing/contract-harness.js';
import { type SalesforceTestEnv, startSalesforceEnv } from '../../../connectors/salesforce/testing/harness.js';
import type { CrmPort } from '../ports.js';
import { salesforceCrm } from './salesforce.crm.js';

let env: SalesforceTestEnv;
let crm: CrmPort;

const customer = CustomerV1.parse({ id: 'cus-b', name: 'Batch Customer', billTo: { city: 'Louisville', country: 'US' } });
const order = (id: string) =>
  SalesOrderV1.parse({
    id,
    orderDate: '2026-03-02T09:00:00Z',
    currency: 'USD',
    customer: { id: 'cus-b' },
    shipTo: { line1: '9 Dock Rd', city: 'Louisville', country: 'US' },
    lines: [{ lineNumber: '1', item: { sku: 'SKU-1' }, quantity: { value: '2', uom: 'EA' } }],
  });
const record = (id: string) => env.sim.state.findBy('Order', SIM_EXTERNAL_ID, id)[0];

beforeAll(async () => {
  env = await startSalesforceEnv();
  crm = salesforceCrm(env.instance(), { statuses: { Shipped: 'Activated', Released: 'Activated' } });
  for (const id of ['so-b1', 'so-b2', 'so-b3', 'so-b4']) await crm.syncOrder(order(id), customer);
});
afterAll(() => env.close());

describe('the Salesforce CRM port: milestones', () => {
  it('sends milestones asked for together as one request, and tells each caller its own outcome', async () => {
    const gone = record('so-b3');
    env.sim.state.delete('Order', String(gone?.Id));
    const before = env.sim.usage.used;
    const outcomes = await Promise.allSettled([
      crm.milestone('so-b1', { status: 'Shipped', note: 'Shipped SH-1' }),
      crm.milestone('so-b2', { status: 'Shipped', note: 'Shipped SH-2' }),
      crm.milestone('so-b3', { status: 'Shipped' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const refused = outcomes[2];
    expect(refused?.status === 'rejected' ? refused.reason : undefined).toMatchObject({
      code: 'CD_ERR_CONNECTOR_NOT_FOUND',
      details: { errorCodes: ['NOT_FOUND'] },
    });
    expect(env.sim.usage.used - before).toBe(1);
    expect(record('so-b1')).toMatchObject({ Status: 'Activated', Description: 'Shipped SH-1' });
    expect(record('so-b2')).toMatchObject({ Status: 'Activated', Description: 'Shipped SH-2' });
  });

  it('sends two milestones of one order in order, in two requests (an Id appears once per collection)', async () => {
    const before = env.sim.usage.used;
    await Promise.all([
      crm.milestone('so-b4', { status: 'Released', note: 'first' }),
      crm.milestone('so-b4', { status: 'Shipped', note: 'second' }),
      crm.milestone('so-b1', { status: 'Invoiced', note: 'Invoice INV-1' }),
    ]);
    expect(env.sim.usage.used - before).toBe(2);
    expect(record('so-b4')).toMatchObject({ Description: 'second' });
    expect(record('so-b1')).toMatchObject({ Status: 'Invoiced', Description: 'Invoice INV-1' });
  });

  it('syncs orders asked for together in one request; two orders of one customer go in two', async () => {
    const before = env.sim.usage.used;
    const other = CustomerV1.parse({ id: 'cus-c', name: 'Other Customer', billTo: { city: 'Louisville', country: 'US' } });
    await Promise.all([
      crm.syncOrder(order('so-s1'), customer, { status: 'Booked', note: 'Booked as 1' }),
      crm.syncOrder(order('so-s2'), customer),
      crm.syncOrder({ ...order('so-s3'), customer: { id: 'cus-c' } }, other),
    ]);
    // so-s1 and so-s3 share the first request; so-s2's Account (cus-b) is already in it.
    expect(env.sim.usage.used - before).toBe(2);
    expect(record('so-s1')).toMatchObject({ Status: 'Booked', Description: 'Booked as 1' });
    expect(record('so-s2')).toBeDefined();
    expect(record('so-s3')).toBeDefined();
    const refused = await Promise.allSettled([
      crm.syncOrder({ ...order('so-s4'), ext: { salesforce: { fields: { NoSuchField: 1 } } } }, customer),
      crm.syncOrder({ ...order('so-s5'), customer: { id: 'cus-c' } }, other),
    ]);
    expect(refused.map((o) => (o.status === 'rejected' ? (o.reason as { code: string }).code : o.status))).toEqual([
      'CD_ERR_CONNECTOR_REJECTED',
      'fulfilled',
    ]);
  });

  it('sends a milestone alone as one PATCH, and a failed request fails every milestone in it', async () => {
    const before = env.sim.usage.used;
    await crm.milestone('so-b2', { status: 'Invoiced' });
    expect(env.sim.usage.used - before).toBe(1);
    expect(record('so-b2')).toMatchObject({ Status: 'Invoiced' });

    await fetch(`${env.sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ arm: [{ fault: { kind: 'status', status: 400 }, pathIncludes: '/composite/sobjects' }] }),
    });
    const outcomes = await Promise.allSettled([
      crm.milestone('so-b1', { status: 'Shipped' }),
      crm.milestone('so-b2', { status: 'Shipped' }),
    ]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code: string }).code : o.status))).toEqual([
      'CD_ERR_CONNECTOR_REJECTED',
      'CD_ERR_CONNECTOR_REJECTED',
    ]);
    expect(record('so-b1')).toMatchObject({ Status: 'Invoiced' });
  });
});
