import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_EXTERNAL_ID } from './testing/contract-harness.js';
import { jwtKeys, type SalesforceTestEnv, startSalesforceEnv } from './testing/harness.js';
import { parseLimitInfo, salesforceApiUsage } from './transport.js';

let env: SalesforceTestEnv;
beforeAll(async () => {
  env = await startSalesforceEnv();
});
afterAll(() => env.close());

const customer = (id: string) => ({ id, name: `Customer ${id}`, customerNumber: `N-${id}`, billTo: { city: 'Louisville', country: 'US' } });
const order = (id: string, customerId: string) => ({
  id,
  orderDate: '2026-03-02T09:00:00Z',
  currency: 'USD',
  customer: { id: customerId },
  customerPoNumber: `PO-${id}`,
  shipTo: { line1: '9 Dock Rd', city: 'Louisville', country: 'US' },
  lines: [{ lineNumber: '1', item: { sku: 'SKU-1' }, quantity: { value: '2', uom: 'EA' } }],
});

describe('Salesforce auth', () => {
  it('signs a JWT bearer assertion the org accepts, and a foreign key is an auth error', async () => {
    await expect(env.instance(env.jwtCredentials).test()).resolves.toBeUndefined();
    const foreign = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const bad = { ...env.jwtCredentials, privateKeyPem: foreign.privateKey };
    await expect(env.instance(bad).test()).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_AUTH',
      message: expect.stringContaining('invalid_grant'),
    });
    expect(jwtKeys.privateKey).toContain('PRIVATE KEY');
  });

  it('caches the token, and renews it once when the session has expired', async () => {
    const instance = env.instance(env.jwtCredentials);
    await instance.invoke('accounts.upsert', { customer: customer('tok-1') });
    await instance.invoke('accounts.upsert', { customer: customer('tok-2') });
    const issued = env.sim.oauth.tokens.size;
    await fetch(`${env.sim.url}/_sim/tokens/expire`, { method: 'POST' });
    await expect(instance.invoke('accounts.upsert', { customer: customer('tok-3') })).resolves.toMatchObject({ created: true });
    expect(env.sim.oauth.tokens.size).toBe(issued + 1);
  });
});

describe('Salesforce operations', () => {
  it('upserts an Account by external id, records the binding, and updates rather than duplicates', async () => {
    const instance = env.instance();
    const first = await instance.invoke('accounts.upsert', { customer: customer('cus-a') });
    expect(first).toMatchObject({ created: true });
    const second = await instance.invoke('accounts.upsert', { customer: { ...customer('cus-a'), name: 'Renamed' } });
    expect(second).toEqual({ ...(first as object), created: false });
    const [account, ...others] = env.sim.state.findBy('Account', SIM_EXTERNAL_ID, 'cus-a');
    expect(others).toEqual([]);
    expect(account).toMatchObject({ Name: 'Renamed', AccountNumber: 'N-cus-a', BillingCity: 'Louisville', BillingCountry: 'US' });
    const binding = await instance.ctx.bindings.get({
      connector: 'salesforce',
      instance: instance.ctx.instance,
      objectType: 'Account',
      canonicalId: 'cus-a',
    });
    expect(binding).toMatchObject({ status: 'bound', externalId: account?.Id });
  });

  it('upserts a Contact and an Order on the customer Account', async () => {
    const instance = env.instance();
    const account = await instance.invoke('accounts.upsert', { customer: customer('cus-b') });
    const accountId = (account as { id: string }).id;
    await instance.invoke('contacts.upsert', {
      id: 'con-b',
      customerId: 'cus-b',
      contact: { name: 'Ada Byron', email: 'ada@example.com' },
    });
    expect(env.sim.state.findBy('Contact', SIM_EXTERNAL_ID, 'con-b')[0]).toMatchObject({
      FirstName: 'Ada',
      LastName: 'Byron',
      AccountId: accountId,
    });
    await instance.invoke('orders.upsert', { order: order('so-b', 'cus-b') });
    expect(env.sim.state.findBy('Order', SIM_EXTERNAL_ID, 'so-b')[0]).toMatchObject({
      AccountId: accountId,
      EffectiveDate: '2026-03-02',
      Status: 'Draft',
      PoNumber: 'PO-so-b',
      ShippingCity: 'Louisville',
    });
  });

  it('syncs an Account and its Order in one request, binds both, and a repeat updates rather than duplicates', async () => {
    const instance = env.instance();
    const before = env.sim.usage.used;
    const first = (await instance.invoke('orders.sync', { customer: customer('cus-s'), order: order('so-s', 'cus-s') })) as {
      accountId: string;
      orderId: string;
      created: boolean;
    };
    expect(env.sim.usage.used - before).toBe(1);
    const account = env.sim.state.findBy('Account', SIM_EXTERNAL_ID, 'cus-s');
    const orders = env.sim.state.findBy('Order', SIM_EXTERNAL_ID, 'so-s');
    expect(account.map((a) => a.Id)).toEqual([first.accountId]);
    expect(orders[0]).toMatchObject({ Id: first.orderId, AccountId: first.accountId, Status: 'Draft', PoNumber: 'PO-so-s' });
    expect(first.created).toBe(true);
    const again = await instance.invoke('orders.sync', {
      customer: customer('cus-s'),
      order: { ...order('so-s', 'cus-s'), customerPoNumber: 'PO-2' },
    });
    expect(again).toEqual({ accountId: first.accountId, orderId: first.orderId, created: false });
    expect(env.sim.state.findBy('Account', SIM_EXTERNAL_ID, 'cus-s')).toHaveLength(1);
    expect(env.sim.state.findBy('Order', SIM_EXTERNAL_ID, 'so-s').map((o) => o.PoNumber)).toEqual(['PO-2']);
    // With a milestone, the Order carries it from the same request.
    const beforeBooked = env.sim.usage.used;
    await instance.invoke('orders.sync', {
      customer: customer('cus-s'),
      order: order('so-s', 'cus-s'),
      milestone: { orderStatus: 'Booked', note: 'Booked in netsuite as 77' },
    });
    expect(env.sim.usage.used - beforeBooked).toBe(1);
    expect(env.sim.state.findBy('Order', SIM_EXTERNAL_ID, 'so-s')[0]).toMatchObject({
      Status: 'Booked',
      Description: 'Booked in netsuite as 77',
    });
    // Bound, so a milestone without a Case is one PATCH of the record.
    const beforeMilestone = env.sim.usage.used;
    await expect(instance.invoke('milestones.post', { orderId: 'so-s', orderStatus: 'Activated', note: 'Booked' })).resolves.toEqual({
      orderId: first.orderId,
    });
    expect(env.sim.usage.used - beforeMilestone).toBe(1);
    expect(env.sim.state.findBy('Order', SIM_EXTERNAL_ID, 'so-s')[0]).toMatchObject({ Status: 'Activated', Description: 'Booked' });
    // A bound Order deleted in Salesforce since: not found, as through the composite.
    env.sim.state.delete('Order', first.orderId);
    await expect(instance.invoke('milestones.post', { orderId: 'so-s', orderStatus: 'Activated' })).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_NOT_FOUND',
    });
  });

  it('rolls the Account back when the Order of a sync is refused, and refuses an order of another customer', async () => {
    const instance = env.instance();
    const err = await instance
      .invoke('orders.sync', {
        customer: customer('cus-r'),
        order: { ...order('so-r', 'cus-r'), ext: { salesforce: { fields: { NoSuchField: 1 } } } },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CD_ERR_CONNECTOR_REJECTED', details: { errorCodes: ['INVALID_FIELD'] } });
    expect(env.sim.state.findBy('Account', SIM_EXTERNAL_ID, 'cus-r')).toEqual([]);
    expect(env.sim.state.findBy('Order', SIM_EXTERNAL_ID, 'so-r')).toEqual([]);
    await expect(instance.invoke('orders.sync', { customer: customer('cus-r'), order: order('so-r', 'cus-other') })).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_MAPPING',
    });
  });

  it('syncs several orders in one composite graph request, each all-or-none on its own', async () => {
    const instance = env.instance();
    const before = env.sim.usage.used;
    const result = (await instance.invoke('orders.sync-many', {
      syncs: [
        { customer: customer('cus-g1'), order: order('so-g1', 'cus-g1'), milestone: { orderStatus: 'Booked', note: 'Booked as 1' } },
        { customer: customer('cus-g2'), order: { ...order('so-g2', 'cus-g2'), ext: { salesforce: { fields: { NoSuchField: 1 } } } } },
        { customer: customer('cus-g3'), order: order('so-g3', 'cus-other') },
        { customer: customer('cus-g4'), order: order('so-g4', 'cus-g4') },
      ],
    })) as { outcomes: Array<{ orderId: string; ok: boolean; errorCodes?: string[]; result?: { accountId: string; orderId: string } }> };
    // One call for all four: the third never left (its customer does not match), the second was refused.
    expect(env.sim.usage.used - before).toBe(1);
    expect(result.outcomes.map((o) => [o.orderId, o.ok])).toEqual([
      ['so-g1', true],
      ['so-g2', false],
      ['so-g3', false],
      ['so-g4', true],
    ]);
    expect(result.outcomes[1]?.errorCodes).toEqual(['INVALID_FIELD']);
    // The refused order's Account was rolled back with it; the others' records exist, Booked where asked.
    expect(env.sim.state.findBy('Account', SIM_EXTERNAL_ID, 'cus-g2')).toEqual([]);
    expect(env.sim.state.findBy('Order', SIM_EXTERNAL_ID, 'so-g1')[0]).toMatchObject({ Status: 'Booked', Description: 'Booked as 1' });
    const g4 = env.sim.state.findBy('Order', SIM_EXTERNAL_ID, 'so-g4')[0];
    expect(result.outcomes[3]?.result?.orderId).toBe(g4?.Id);
    // Both synced Orders are bound: a milestone on one is a single PATCH.
    const beforeMilestone = env.sim.usage.used;
    await instance.invoke('milestones.post', { orderId: 'so-g4', orderStatus: 'Shipped' });
    expect(env.sim.usage.used - beforeMilestone).toBe(1);
  });

  it('posts a milestone as one composite request: the order status and a case on its account, by reference', async () => {
    const instance = env.instance();
    const account = (await instance.invoke('accounts.upsert', { customer: customer('cus-c') })) as { id: string };
    await instance.invoke('orders.upsert', { order: order('so-c', 'cus-c') });
    const before = env.sim.usage.used;
    const result = await instance.invoke('milestones.post', {
      orderId: 'so-c',
      orderStatus: 'Activated',
      note: 'Shipment exception: carrier damage',
      case: {
        id: 'case-c',
        subject: 'Damaged in transit',
        priority: 'high',
        category: 'shipment-exception',
        openedAt: '2026-03-03T10:00:00Z',
      },
    });
    expect(env.sim.usage.used - before).toBe(1);
    const orderRecord = env.sim.state.findBy('Order', SIM_EXTERNAL_ID, 'so-c')[0];
    expect(orderRecord).toMatchObject({ Status: 'Activated', Description: 'Shipment exception: carrier damage' });
    const caseRecord = env.sim.state.findBy('Case', SIM_EXTERNAL_ID, 'case-c')[0];
    expect(caseRecord).toMatchObject({ Subject: 'Damaged in transit', Priority: 'High', AccountId: account.id });
    expect(result).toEqual({ orderId: orderRecord?.Id, caseId: caseRecord?.Id });
  });

  it('rolls the whole milestone back when one part fails, and names the cause', async () => {
    const instance = env.instance();
    await instance.invoke('accounts.upsert', { customer: customer('cus-e') });
    await instance.invoke('orders.upsert', { order: order('so-e', 'cus-e') });
    const err = await instance
      .invoke('milestones.post', {
        orderId: 'so-e',
        orderStatus: 'Activated',
        case: { id: 'case-e', subject: 'Bad case', openedAt: '2026-03-03T10:00:00Z', ext: { salesforce: { fields: { NoSuchField: 1 } } } },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CD_ERR_CONNECTOR_REJECTED', details: { errorCodes: ['INVALID_FIELD'] } });
    expect(env.sim.state.findBy('Order', SIM_EXTERNAL_ID, 'so-e')[0]).toMatchObject({ Status: 'Draft' });
    expect(env.sim.state.findBy('Case', SIM_EXTERNAL_ID, 'case-e')).toEqual([]);
    const missing = await instance
      .invoke('milestones.post', { orderId: 'no-such-order', orderStatus: 'Activated' })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'CD_ERR_CONNECTOR_NOT_FOUND', details: { errorCodes: ['NOT_FOUND'] } });
  });

  it('posts several orders’ milestones in one collection request; each succeeds or fails alone', async () => {
    const instance = env.instance();
    await instance.invoke('accounts.upsert', { customer: customer('cus-m') });
    for (const id of ['so-m1', 'so-m2', 'so-m3']) await instance.invoke('orders.upsert', { order: order(id, 'cus-m') });
    // so-m3 is deleted in Salesforce; so-m4 was created there by someone else (no binding: found by external id).
    const gone = env.sim.state.findBy('Order', SIM_EXTERNAL_ID, 'so-m3')[0];
    env.sim.state.delete('Order', String(gone?.Id));
    const account = env.sim.state.findBy('Account', SIM_EXTERNAL_ID, 'cus-m')[0];
    const foreign = await fetch(`${env.sim.url}/_sim/records`, {
      method: 'POST',
      body: JSON.stringify({
        type: 'Order',
        fields: { AccountId: account?.Id, EffectiveDate: '2026-03-02', Status: 'Draft', [SIM_EXTERNAL_ID]: 'so-m4' },
      }),
    });
    expect(foreign.status).toBe(201);
    const before = env.sim.usage.used;
    const result = await instance.invoke('milestones.post-many', {
      milestones: [
        { orderId: 'so-m1', orderStatus: 'Activated', note: 'Shipped' },
        { orderId: 'so-m2', orderStatus: 'Activated' },
        { orderId: 'so-m3', orderStatus: 'Activated' },
        { orderId: 'so-m4', orderStatus: 'Activated', note: 'Released' },
      ],
    });
    const [m1, m2, m4] = ['so-m1', 'so-m2', 'so-m4'].map((id) => env.sim.state.findBy('Order', SIM_EXTERNAL_ID, id)[0]);
    expect(result).toEqual({
      outcomes: [
        { orderId: 'so-m1', ok: true, salesforceId: m1?.Id },
        { orderId: 'so-m2', ok: true, salesforceId: m2?.Id },
        {
          orderId: 'so-m3',
          ok: false,
          notFound: true,
          message: `Salesforce refused the milestone of Order ${gone?.Id}: NOT_FOUND: The requested resource does not exist`,
          errorCodes: ['NOT_FOUND'],
        },
        { orderId: 'so-m4', ok: true, salesforceId: m4?.Id },
      ],
    });
    // One PATCH for the three bound Orders, one composite for the one crossdock did not write.
    expect(env.sim.usage.used - before).toBe(2);
    expect(m1).toMatchObject({ Status: 'Activated', Description: 'Shipped' });
    expect(m2).toMatchObject({ Status: 'Activated' });
    expect(m4).toMatchObject({ Status: 'Activated', Description: 'Released' });
    await expect(instance.invoke('milestones.post-many', { milestones: [] })).rejects.toMatchObject({ code: 'CD_ERR_CONNECTOR_MAPPING' });
  });

  it('turns an error array into a permanent rejection naming each errorCode', async () => {
    const instance = env.instance();
    const err = await instance
      .invoke('accounts.upsert', { customer: { ...customer('cus-d'), ext: { salesforce: { fields: { NoSuchField: 'x' } } } } })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CD_ERR_CONNECTOR_REJECTED', details: { errorCodes: ['INVALID_FIELD'] } });
    expect(String((err as Error).message)).toContain('INVALID_FIELD');
  });

  it('reads Sforce-Limit-Info, and treats a spent daily allocation as a retryable rate limit', async () => {
    const instance = env.instance(undefined, { dailyLimitPauseMs: 10 });
    await instance.invoke('accounts.list', { limit: 1 });
    expect(salesforceApiUsage(instance.ctx)).toMatchObject({ used: env.sim.usage.used, limit: env.sim.usage.limit });
    expect(parseLimitInfo('api-usage=18/15000')).toEqual({ used: 18, limit: 15000, remaining: 14982 });
    await fetch(`${env.sim.url}/_sim/limits`, { method: 'POST', body: JSON.stringify({ used: env.sim.usage.limit }) });
    const err = await instance.invoke('accounts.list', { limit: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'CD_ERR_CONNECTOR_RATE_LIMITED',
      errorClass: 'retryable',
      details: { errorCodes: ['REQUEST_LIMIT_EXCEEDED'] },
    });
    await fetch(`${env.sim.url}/_sim/limits`, { method: 'POST', body: JSON.stringify({ used: 0 }) });
  });

  it('lists Accounts across nextRecordsUrl pages as Customers', async () => {
    const instance = env.instance();
    for (let i = 0; i < 450; i++) env.sim.seed('Account', { Name: `Listed ${i}`, [SIM_EXTERNAL_ID]: `list-${i}` });
    const list = (await instance.invoke('accounts.list', {})) as Array<{ id: string }>;
    const ids = new Set(list.map((c) => c.id));
    expect(ids.has('list-0') && ids.has('list-449')).toBe(true);
    expect(env.capture.list().filter((c) => c.url.includes('/query/')).length).toBeGreaterThanOrEqual(2);
  });
});
