import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../kernel/index.js';
import { isRecordId } from './ids.js';
import { JWT_BEARER_GRANT } from './oauth.js';
import { type SalesforceSim, startSalesforceSim } from './salesforce.sim.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

function jwt(claims: Record<string, unknown>, key: KeyObject = privateKey): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const signingInput = `${enc({ alg: 'RS256' })}.${enc(claims)}`;
  return `${signingInput}.${sign('RSA-SHA256', Buffer.from(signingInput), key).toString('base64url')}`;
}

const tokenBody = z.looseObject({
  access_token: z.string().optional(),
  signature: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});

let sim: SalesforceSim;
let clock: ManualClock;
let token: string;

async function tokenRequest(form: Record<string, string>) {
  const res = await fetch(sim.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: tokenBody.parse(await res.json()) };
}

async function api(method: string, path: string, body?: unknown, signal?: AbortSignal) {
  const res = await fetch(
    path.startsWith('http') ? path : `${sim.url}${path.startsWith('/services') ? path : `/services/data/v62.0${path}`}`,
    {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(signal === undefined ? {} : { signal }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    },
  );
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

beforeEach(async () => {
  clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  sim = await startSalesforceSim({ clock, jwtPublicKey: publicKey, queryBatchSize: 2, dailyApiLimit: 50 });
  const issued = await tokenRequest({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret });
  token = issued.body.access_token ?? '';
});
afterEach(() => sim.close());

describe('Salesforce OAuth token endpoint', () => {
  it('issues a bearer token for client credentials and refuses a wrong secret', async () => {
    const ok = await tokenRequest({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', instance_url: sim.url, issued_at: String(clock.now()) });
    expect(typeof ok.body.signature).toBe('string');
    const bad = await tokenRequest({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: 'nope' });
    expect(bad).toEqual({ status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } });
  });

  it('accepts an RS256 JWT bearer assertion and refuses a foreign signature, a wrong audience and an expired one', async () => {
    const claims = { iss: sim.clientId, sub: sim.username, aud: 'https://login.salesforce.com', exp: Math.floor(clock.now() / 1000) + 180 };
    const ok = await tokenRequest({ grant_type: JWT_BEARER_GRANT, assertion: jwt(claims) });
    expect(ok.status).toBe(200);
    const res = await fetch(`${sim.dataUrl}/limits`, { headers: { authorization: `Bearer ${ok.body.access_token ?? ''}` } });
    expect(res.status).toBe(200);

    expect((await tokenRequest({ grant_type: JWT_BEARER_GRANT, assertion: jwt(claims, otherKey) })).body).toEqual({
      error: 'invalid_grant',
      error_description: 'invalid assertion',
    });
    expect(
      (await tokenRequest({ grant_type: JWT_BEARER_GRANT, assertion: jwt({ ...claims, aud: 'https://evil.example' }) })).body
        .error_description,
    ).toBe('audience is invalid');
    const expired = await tokenRequest({
      grant_type: JWT_BEARER_GRANT,
      assertion: jwt({ ...claims, exp: Math.floor(clock.now() / 1000) - 1 }),
    });
    expect(expired.status).toBe(400);
    expect(expired.body.error).toBe('invalid_grant');
  });

  it('answers 401 INVALID_SESSION_ID for a missing or expired session', async () => {
    const anonymous = await fetch(`${sim.dataUrl}/sobjects/Account`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    expect((await api('GET', '/limits')).status).toBe(200);
    clock.advance(2 * 60 * 60 * 1000 + 1);
    expect((await api('GET', '/limits')).body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });
});

describe('Salesforce sObjects', () => {
  it('creates with an 18-character id, reads it back, and reports missing required and unknown fields', async () => {
    const created = await api('POST', '/sobjects/Account', { Name: 'Wheat & Co', BillingCity: 'Leeds' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ success: true, errors: [] });
    expect(isRecordId(created.body.id)).toBe(true);
    expect(created.body.id).toMatch(/^001.{15}$/);
    const read = await api('GET', `/sobjects/Account/${created.body.id}`);
    expect(read.body).toMatchObject({ attributes: { type: 'Account' }, Id: created.body.id, Name: 'Wheat & Co', BillingCity: 'Leeds' });

    const missing = await api('POST', '/sobjects/Account', { Phone: '1' });
    expect(missing).toMatchObject({ status: 400, body: [{ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] }] });
    const unknown = await api('POST', '/sobjects/Account', { Name: 'x', Colour: 'red' });
    expect(unknown.body).toEqual([{ message: "No such column 'Colour' on sobject of type Account", errorCode: 'INVALID_FIELD' }]);
    const badLookup = await api('POST', '/sobjects/Contact', { LastName: 'Lee', AccountId: 'nonsense' });
    expect(badLookup.body[0].errorCode).toBe('MALFORMED_ID');
  });

  it('upserts by external id: creates once (201), then updates (200 created:false), never a second record', async () => {
    const first = await api('PATCH', '/sobjects/Account/ExtId__c/CUST-1', { Name: 'Acme' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ success: true, created: true, errors: [] });
    const second = await api('PATCH', '/sobjects/Account/ExtId__c/CUST-1', { Name: 'Acme Ltd' });
    expect(second).toMatchObject({ status: 200, body: { id: first.body.id, created: false } });
    expect(sim.state.all('Account')).toHaveLength(1);
    expect(sim.state.all('Account')[0]).toMatchObject({ Name: 'Acme Ltd', ExtId__c: 'CUST-1' });

    const legacy = await api('PATCH', '/services/data/v45.0/sobjects/Account/ExtId__c/CUST-1', { Phone: '0113' });
    expect(legacy.status).toBe(204);
    const byExt = await api('GET', '/sobjects/Account/ExtId__c/CUST-1');
    expect(byExt.body).toMatchObject({ Id: first.body.id, Phone: '0113' });
    expect((await api('PATCH', '/sobjects/Account/Name/Acme', { Phone: '1' })).status).toBe(404);
  });

  it('answers 300 with both record URLs when an external id matches two records, and changes nothing', async () => {
    const a = sim.seed('Account', { Name: 'A', ExtId__c: 'DUP' });
    const b = sim.seed('Account', { Name: 'B', ExtId__c: 'DUP' });
    const res = await api('PATCH', '/sobjects/Account/ExtId__c/DUP', { Name: 'C' });
    expect(res.status).toBe(300);
    expect(res.body).toEqual([`/services/data/v62.0/sobjects/Account/${a.Id}`, `/services/data/v62.0/sobjects/Account/${b.Id}`]);
    expect(sim.state.all('Account').map((r) => r.Name)).toEqual(['A', 'B']);
  });
});

describe('Salesforce SOQL', () => {
  it('walks every page through nextRecordsUrl', async () => {
    for (let i = 1; i <= 5; i++) sim.seed('Contact', { LastName: `L${i}`, ExtId__c: `C-${i}` });
    let page = await api('GET', `/query?q=${encodeURIComponent('SELECT Id, LastName FROM Contact ORDER BY LastName')}`);
    const names: string[] = [];
    let pages = 0;
    for (;;) {
      pages += 1;
      expect(page.body.totalSize).toBe(5);
      names.push(...page.body.records.map((r: { LastName: string }) => r.LastName));
      if (page.body.done) break;
      page = await api('GET', page.body.nextRecordsUrl);
    }
    expect(pages).toBe(3);
    expect(names).toEqual(['L1', 'L2', 'L3', 'L4', 'L5']);
  });

  it('filters on an external id and returns only the selected fields with attributes', async () => {
    sim.seed('Account', { Name: 'North', ExtId__c: 'N-1' });
    sim.seed('Account', { Name: 'South', ExtId__c: 'S-1' });
    const res = await api('GET', `/query?q=${encodeURIComponent("SELECT Id, Name FROM Account WHERE ExtId__c = 'S-1'")}`);
    expect(res.body.totalSize).toBe(1);
    expect(res.body.done).toBe(true);
    expect(Object.keys(res.body.records[0])).toEqual(['attributes', 'Id', 'Name']);
    expect(res.body.records[0].Name).toBe('South');
    const bad = await api('GET', `/query?q=${encodeURIComponent('SELECT Id FROM Widget__x')}`);
    expect(bad.body[0].errorCode).toBe('INVALID_TYPE');
  });
});

describe('Salesforce composite', () => {
  it('resolves @{ref.id} references between subrequests', async () => {
    const res = await api('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'refAccount', body: { Name: 'Parent' } },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Contact',
          referenceId: 'refContact',
          body: { LastName: 'Child', AccountId: '@{refAccount.id}' },
        },
        { method: 'GET', url: '/services/data/v62.0/sobjects/Contact/@{refContact.id}?fields=AccountId', referenceId: 'readBack' },
      ],
    });
    expect(res.status).toBe(200);
    const [account, contact, readBack] = res.body.compositeResponse;
    expect(account).toMatchObject({
      httpStatusCode: 201,
      referenceId: 'refAccount',
      httpHeaders: { Location: expect.stringContaining(account.body.id) },
    });
    expect(contact.httpStatusCode).toBe(201);
    expect(readBack.body.AccountId).toBe(account.body.id);
  });

  it('rolls everything back under allOrNone when one subrequest fails', async () => {
    const res = await api('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'refAccount', body: { Name: 'Doomed' } },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Contact',
          referenceId: 'refContact',
          body: { AccountId: '@{refAccount.id}' },
        },
        { method: 'POST', url: '/services/data/v62.0/sobjects/Case', referenceId: 'refCase', body: { Subject: 'never runs' } },
      ],
    });
    const statuses = res.body.compositeResponse.map((r: { httpStatusCode: number }) => r.httpStatusCode);
    expect(statuses).toEqual([400, 400, 400]);
    expect(res.body.compositeResponse[0].body[0].errorCode).toBe('PROCESSING_HALTED');
    expect(res.body.compositeResponse[1].body[0].errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(sim.state.all('Account')).toHaveLength(0);
    expect(sim.state.all('Case')).toHaveLength(0);
  });

  it('undoes an update and a delete under allOrNone, and keeps later writes once the request is over', async () => {
    const kept = await api('POST', '/sobjects/Account', { Name: 'Kept' });
    const gone = await api('POST', '/sobjects/Account', { Name: 'Almost gone' });
    const res = await api('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'PATCH', url: `/services/data/v62.0/sobjects/Account/${kept.body.id}`, referenceId: 'rename', body: { Name: 'Renamed' } },
        { method: 'DELETE', url: `/services/data/v62.0/sobjects/Account/${gone.body.id}`, referenceId: 'drop' },
        { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'bad', body: {} },
      ],
    });
    expect(res.body.compositeResponse.map((r: { httpStatusCode: number }) => r.httpStatusCode)).toEqual([400, 400, 400]);
    expect(sim.state.get('Account', kept.body.id)?.Name).toBe('Kept');
    expect(sim.state.get('Account', gone.body.id)?.Name).toBe('Almost gone');
    // After a successful all-or-none request its writes stay, and so do writes made after it.
    const ok = await api('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'PATCH', url: `/services/data/v62.0/sobjects/Account/${kept.body.id}`, referenceId: 'rename', body: { Name: 'Renamed' } },
      ],
    });
    expect(ok.body.compositeResponse[0].httpStatusCode).toBe(204);
    await api('PATCH', `/sobjects/Account/${gone.body.id}`, { Name: 'Changed later' });
    expect(sim.state.get('Account', kept.body.id)?.Name).toBe('Renamed');
    expect(sim.state.get('Account', gone.body.id)?.Name).toBe('Changed later');
  });
});

describe('Salesforce sObject collections', () => {
  it('creates a batch in order, and under allOrNone rolls the valid ones back when one fails', async () => {
    const ok = await api('POST', '/composite/sobjects', {
      records: [
        { attributes: { type: 'Account' }, Name: 'One' },
        { attributes: { type: 'Case' }, Subject: 'Damaged pallet' },
      ],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.map((r: { success: boolean }) => r.success)).toEqual([true, true]);
    expect(ok.body[1].id).toMatch(/^500/);

    const mixed = await api('POST', '/composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Account' }, Name: 'Two' },
        { attributes: { type: 'Contact' }, FirstName: 'No last name' },
      ],
    });
    expect(mixed.body[0].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(mixed.body[1].errors[0]).toMatchObject({ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] });
    expect(sim.state.all('Account').map((r) => r.Name)).toEqual(['One']);
  });
});

describe('Salesforce composite graphs', () => {
  it('runs each graph all-or-none on its own: a failing graph rolls back only itself', async () => {
    const node = (referenceId: string, url: string, body: Record<string, unknown>) => ({
      method: 'POST',
      url: `/services/data/v62.0${url}`,
      referenceId,
      body,
    });
    const res = await api('POST', '/composite/graph', {
      graphs: [
        {
          graphId: 'good',
          compositeRequest: [
            node('acct', '/sobjects/Account', { Name: 'Graph One' }),
            node('cont', '/sobjects/Contact', { LastName: 'Lee', AccountId: '@{acct.id}' }),
          ],
        },
        {
          graphId: 'bad',
          compositeRequest: [
            node('acct', '/sobjects/Account', { Name: 'Graph Two' }),
            node('cont', '/sobjects/Contact', { FirstName: 'No last name' }),
          ],
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.graphs.map((g: { graphId: string; isSuccessful: boolean }) => [g.graphId, g.isSuccessful])).toEqual([
      ['good', true],
      ['bad', false],
    ]);
    const bad = res.body.graphs[1].graphResponse.compositeResponse;
    expect(bad[0].body[0].errorCode).toBe('PROCESSING_HALTED');
    expect(bad[1].body[0].errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(sim.state.all('Account').map((r) => r.Name)).toContain('Graph One');
    expect(sim.state.all('Account').map((r) => r.Name)).not.toContain('Graph Two');

    const tooBig = await api('POST', '/composite/graph', {
      graphs: Array.from({ length: 11 }, (_, g) => ({
        graphId: `g${g}`,
        compositeRequest: Array.from({ length: 50 }, (_, i) => node(`n${i}`, '/sobjects/Account', { Name: `x${i}` })),
      })),
    });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body[0].errorCode).toBe('INVALID_INPUT');
  });
});

describe('Salesforce sObject collections update', () => {
  it('updates a batch in order, each record alone; under allOrNone one failure rolls every update back', async () => {
    const a = await api('POST', '/sobjects/Account', { Name: 'Batch A' });
    const b = await api('POST', '/sobjects/Account', { Name: 'Batch B' });
    const gone = await api('POST', '/sobjects/Account', { Name: 'Deleted' });
    await api('DELETE', `/sobjects/Account/${gone.body.id}`);
    const mixed = await api('PATCH', '/composite/sobjects', {
      records: [
        { attributes: { type: 'Account' }, id: a.body.id, Name: 'Batch A2' },
        { attributes: { type: 'Account' }, id: gone.body.id, Name: 'Nobody' },
        { attributes: { type: 'Account' }, Name: 'No id' },
        { attributes: { type: 'Account' }, id: b.body.id, Name: 'Batch B2' },
      ],
    });
    expect(mixed.status).toBe(200);
    expect(mixed.body).toEqual([
      { id: a.body.id, success: true, errors: [] },
      {
        id: gone.body.id,
        success: false,
        errors: [{ statusCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] }],
      },
      { success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: 'id not specified in an update call', fields: ['Id'] }] },
      { id: b.body.id, success: true, errors: [] },
    ]);
    expect(sim.state.get('Account', a.body.id)?.Name).toBe('Batch A2');
    expect(sim.state.get('Account', b.body.id)?.Name).toBe('Batch B2');

    const rolled = await api('PATCH', '/composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Account' }, id: a.body.id, Name: 'Batch A3' },
        { attributes: { type: 'Account' }, id: b.body.id, NoSuchField: 1 },
      ],
    });
    expect(rolled.body[0]).toMatchObject({ id: a.body.id, success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }] });
    expect(rolled.body[1]).toMatchObject({ id: b.body.id, success: false, errors: [{ statusCode: 'INVALID_FIELD' }] });
    expect(sim.state.get('Account', a.body.id)?.Name).toBe('Batch A2');

    const tooMany = await api('PATCH', '/composite/sobjects', {
      records: Array.from({ length: 201 }, () => ({ attributes: { type: 'Account' }, id: a.body.id, Name: 'x' })),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body[0].errorCode).toBe('INVALID_FIELD');
    const put = await api('PUT', '/composite/sobjects', { records: [] });
    expect(put.status).toBe(405);
  });
});

describe('Salesforce limits and faults', () => {
  it('reports api usage on every call and refuses with REQUEST_LIMIT_EXCEEDED past the daily limit', async () => {
    const first = await api('GET', '/limits');
    expect(first.headers.get('sforce-limit-info')).toBe('api-usage=1/50');
    await fetch(`${sim.url}/_sim/limits`, { method: 'POST', body: JSON.stringify({ used: 50 }) });
    const refused = await api('GET', '/limits');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    expect(refused.headers.get('sforce-limit-info')).toBe('api-usage=50/50');
  });

  it('answers an armed 503 with the vendor body and Retry-After, armed through the control API', async () => {
    const armed = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ arm: [{ fault: { kind: 'status', status: 503, retryAfterSeconds: 7 }, pathIncludes: '/sobjects/' }] }),
    });
    expect(await armed.json()).toEqual({ pending: 1 });
    const res = await api('POST', '/sobjects/Account', { Name: 'x' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body[0].errorCode).toBe('SERVER_UNAVAILABLE');
    expect(sim.state.all('Account')).toHaveLength(0);
  });

  it('applies an upsert that times out after commit: the client gets no answer but the record exists', async () => {
    sim.faults.arm({ kind: 'timeout-after-commit' }, { method: 'PATCH' });
    await expect(api('PATCH', '/sobjects/Account/ExtId__c/T-1', { Name: 'Late' }, AbortSignal.timeout(300))).rejects.toThrow();
    expect(sim.state.findBy('Account', 'ExtId__c', 'T-1')).toHaveLength(1);
    const retry = await api('PATCH', '/sobjects/Account/ExtId__c/T-1', { Name: 'Late' });
    expect(retry.body.created).toBe(false);
  });
});
