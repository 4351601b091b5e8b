import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../src/gateway/openapi/index.js';
import { orderExample } from '../src/gateway/routes/v1/examples.js';
import { type ApiHarness, createApiHarness } from '../src/gateway/routes/v1/testing/harness.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

let h: ApiHarness;
let key: string;
let sender: string;
let doc: OpenApiDocument;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormatsPlugin.default(ajv);
let seeded: Record<string, string> = {};

function validator(schema: unknown) {
  return ajv.compile({ ...(isObj(schema) ? schema : {}), components: doc.components });
}

function operations(): Array<{ path: string; method: 'GET' | 'POST'; op: Json }> {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method: method === 'post' ? ('POST' as const) : ('GET' as const), op })),
  );
}

beforeAll(async () => {
  h = await createApiHarness();
  key = await h.partner('acme');
  sender = await h.partner('example-sender');
  const ids = await h.seed('acme');
  const res = await h.app.inject({ method: 'GET', url: '/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
  const order = await h.app.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    payload: { ...orderExample, channelOrderId: 'OPENAPI-1' },
  });
  const post = async (url: string) => {
    const op = doc.paths[url]?.post;
    const media = isObj(op?.requestBody) && isObj(op.requestBody.content) ? op.requestBody.content['application/json'] : undefined;
    const r = await h.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: JSON.stringify(isObj(media) ? media.example : {}),
    });
    return String(r.json().id);
  };
  seeded = {
    '/v1/orders/{id}': order.json().id,
    '/v1/shipments/{id}': ids.shipment ?? '',
    '/v1/invoices/{id}': ids.invoice ?? '',
    '/v1/items/{id}': ids.item ?? '',
    '/v1/customers/{id}': ids.customer ?? '',
    '/v1/purchase-orders/{id}': ids.purchaseorder ?? '',
    '/v1/returns/{id}': await post('/v1/returns'),
    '/v1/asns/{id}': await post('/v1/asns'),
    '/v1/acknowledgements/{id}': await post('/v1/acknowledgements'),
    '/v1/inventory-updates/{id}': await post('/v1/inventory-updates'),
  };
});
afterAll(async () => {
  await h.close();
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with unique operation ids and a Problem schema', () => {
    expect(doc.openapi).toBe('3.1.0');
    const ids = operations().map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.components).toHaveProperty('schemas.Problem');
  });

  it('lists exactly the routes the gateway registered, with the same path parameters', () => {
    // Every documented operation is a route Fastify knows…
    for (const { path, method } of operations()) {
      expect(h.app.hasRoute({ method, url: path.replace(/\{([^}]+)\}/g, ':$1') }), `${method} ${path}`).toBe(true);
    }
    // …and every route registered beside the gateway core (all of /v1, the docs) is documented.
    const registered = h.registered
      .filter((r) => r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`)
      .sort();
    const documented = new Set(operations().map((o) => `${o.method} ${o.path}`));
    expect(registered.length).toBeGreaterThan(30);
    expect(registered.filter((r) => !documented.has(r))).toEqual([]);
    for (const { path, op } of operations()) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const params = Array.isArray(op.parameters) ? op.parameters.filter(isObj) : [];
      expect(
        params.filter((p) => p.in === 'path').map((p) => p.name),
        path,
      ).toEqual(inPath);
    }
  });

  it('each request example satisfies its documented schema and the route accepts it; the answer matches the documented response', async () => {
    let checked = 0;
    for (const { path, method, op } of operations()) {
      if (!path.startsWith('/v1/') || path.startsWith('/v1/auth') || path.startsWith('/v1/availability')) continue;
      const url = path.replace('{id}', seeded[path.replace('/cancel', '').replace('/timeline', '')] ?? seeded[path] ?? 'x');
      const media = isObj(op.requestBody) && isObj(op.requestBody.content) ? op.requestBody.content['application/json'] : undefined;
      let payload: string | undefined;
      if (isObj(media)) {
        const validate = validator(media.schema);
        expect(validate(media.example), `${method} ${path} example: ${JSON.stringify(validate.errors)}`).toBe(true);
        payload = JSON.stringify(media.example);
      }
      const res = await h.app.inject({
        method,
        url: url.replace('{id}', seeded['/v1/orders/{id}'] ?? ''),
        // Creations go out as another partner, so the examples' document numbers are still free.
        headers: {
          authorization: `Bearer ${method === 'POST' && !path.includes('{id}') ? sender : key}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
        ...(payload ? { payload } : {}),
      });
      const responses = isObj(op.responses) ? op.responses : {};
      const documented = responses[String(res.statusCode)];
      expect(documented, `${method} ${path} answered ${res.statusCode}: ${res.body}`).toBeDefined();
      expect(res.statusCode, `${method} ${path}: ${res.body}`).toBeLessThan(300);
      const schema =
        isObj(documented) && isObj(documented.content) && isObj(documented.content['application/json'])
          ? documented.content['application/json'].schema
          : undefined;
      expect(schema, `${method} ${path} documents its body`).toBeDefined();
      const validate = validator(schema);
      expect(validate(res.json()), `${method} ${path} response: ${JSON.stringify(validate.errors)}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(25);
  });

  it('a body the document rejects is rejected by the route (422 problem+json valid against Problem)', async () => {
    const problem = validator({ $ref: '#/components/schemas/Problem' });
    for (const { path, method, op } of operations()) {
      if (method !== 'POST' || !path.startsWith('/v1/') || path.startsWith('/v1/auth') || path.startsWith('/v1/availability')) continue;
      const media = isObj(op.requestBody) && isObj(op.requestBody.content) ? op.requestBody.content['application/json'] : undefined;
      if (!isObj(media)) continue;
      const wrong = { ...(isObj(media.example) ? media.example : {}), notAField: true };
      expect(validator(media.schema)(wrong), path).toBe(false);
      const res = await h.app.inject({
        method,
        url: path.replace('{id}', seeded['/v1/orders/{id}'] ?? ''),
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: JSON.stringify(wrong),
      });
      expect(res.statusCode, path).toBe(422);
      expect(problem(res.json()), `${path}: ${JSON.stringify(problem.errors)}`).toBe(true);
    }
  });

  it('documented query limits hold: limit above its maximum is refused', async () => {
    for (const { path, op } of operations()) {
      const params = Array.isArray(op.parameters) ? op.parameters.filter(isObj) : [];
      const limit = params.find((p) => p.name === 'limit');
      if (!limit || !isObj(limit.schema)) continue;
      const max = Number(limit.schema.maximum);
      const res = await h.app.inject({ method: 'GET', url: `${path}?limit=${max + 1}`, headers: { authorization: `Bearer ${key}` } });
      expect(res.statusCode, path).toBe(422);
      expect(res.json().errors[0].path).toBe('limit');
    }
  });

  it('serves the reference page without anything external', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).not.toMatch(/https?:\/\//);
    const script = await h.app.inject({ method: 'GET', url: '/docs/app.js' });
    expect(script.body).toContain("fetch('/openapi.json')");
    expect(script.body).not.toMatch(/https?:\/\//);
  });
});
