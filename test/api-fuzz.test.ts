import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../src/gateway/openapi/index.js';
import { type ApiHarness, createApiHarness } from '../src/gateway/routes/v1/testing/harness.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

let h: ApiHarness;
let key: string;
let doc: OpenApiDocument;
let orderId = '';

beforeAll(async () => {
  h = await createApiHarness({ bodyLimit: 64 * 1024 });
  key = await h.partner('fuzzer');
  doc = h.openapi();
  const res = await h.app.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    payload: JSON.stringify(exampleOf('/v1/orders', 'post')),
  });
  orderId = res.json().id;
});
afterAll(async () => {
  await h.close();
});

function exampleOf(path: string, method: string): unknown {
  const op = doc.paths[path]?.[method];
  const media = isObj(op?.requestBody) && isObj(op.requestBody.content) ? op.requestBody.content['application/json'] : undefined;
  return isObj(media) ? media.example : undefined;
}

/** Every path inside a JSON value, as key lists. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const here = [prefix];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (isObj(value)) return [...here, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  return here;
}

function replaceAt(value: unknown, path: Array<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value) && typeof head === 'number') return value.map((v, i) => (i === head ? replaceAt(v, rest, replacement) : v));
  if (isObj(value) && typeof head === 'string') return { ...value, [head]: replaceAt(value[head], rest, replacement) };
  return value;
}

/** A documented example with one value somewhere replaced by anything JSON can hold. */
function mutated(example: unknown) {
  const paths = pathsOf(example);
  return fc.tuple(fc.nat({ max: paths.length - 1 }), fc.jsonValue({ maxDepth: 3 })).map(([i, v]) => replaceAt(example, paths[i] ?? [], v));
}

const weird = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '..',
    '%00',
    '%',
    '%E0%A4%A',
    "' OR 1=1 --",
    '{id}',
    'x'.repeat(300),
    '01ARZ3NDEKTSV4RRFFQ69G5FAV',
    '"v1"',
    '*',
    'W/"v1"',
  ),
);

const body = (path: string, method: string) => {
  const example = exampleOf(path, method);
  return fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    ...(example !== undefined ? [mutated(example).map((v) => JSON.stringify(v))] : []),
    fc.string({ maxLength: 200 }),
    fc.constantFrom('{', '[1,2', 'null', '""', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', '\u0000'),
  );
};

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/merge-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/jsonx',
);

function encodePath(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return 'x';
  }
}

describe('fuzz: bad input never yields a 5xx', () => {
  it('on every documented route (paths, query, headers, bodies, content types)', async () => {
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ path, method })));
    expect(ops.length).toBeGreaterThan(35);
    const statuses = new Map<number, number>();
    for (const { path, method } of ops) {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            id: fc.oneof(weird, fc.constant(orderId)),
            query: fc.array(
              fc.tuple(fc.constantFrom('limit', 'cursor', 'updated_since', 'status', 'items', 'channel', 'explain', 'x'), weird),
              { maxLength: 4 },
            ),
            body: body(path, method),
            type: contentType,
            ifMatch: fc.option(weird, { nil: undefined }),
            ifNoneMatch: fc.option(weird, { nil: undefined }),
            idem: fc.option(weird, { nil: undefined }),
            authed: fc.boolean(),
          }),
          async (input) => {
            const url = `${path.replace(/\{[^}]+\}/g, encodePath(input.id))}?${input.query.map(([k, v]) => `${k}=${encodePath(v)}`).join('&')}`;
            const headers: Record<string, string> = {};
            const safe = (v: string) => v.replace(/[^\x20-\x7e]/g, '?');
            if (input.authed) headers.authorization = `Bearer ${key}`;
            if (input.ifMatch !== undefined) headers['if-match'] = safe(input.ifMatch);
            if (input.ifNoneMatch !== undefined) headers['if-none-match'] = safe(input.ifNoneMatch);
            if (input.idem !== undefined) headers['idempotency-key'] = safe(input.idem);
            const isPost = method === 'post';
            if (isPost) headers['content-type'] = input.type;
            const res = await h.app.inject({ method: isPost ? 'POST' : 'GET', url, headers, ...(isPost ? { payload: input.body } : {}) });
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            if (res.statusCode >= 500) throw new Error(`${method.toUpperCase()} ${url} -> ${res.statusCode} ${res.body}`);
            if (res.statusCode >= 400 && res.statusCode !== 404 && path.startsWith('/v1/') && !path.startsWith('/v1/auth')) {
              expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            }
          },
        ),
        { numRuns: 40, seed: 8 },
      );
    }
    // The inputs reached every layer: authentication, routing, media type, validation, and handlers.
    for (const status of [200, 401, 404, 415, 422]) expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
  }, 120_000);

  it('oversized bodies get 413 on every POST route', async () => {
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!methods.post || !path.startsWith('/v1/')) continue;
      const res = await h.app.inject({
        method: 'POST',
        url: path.replace('{id}', orderId),
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ pad: 'x'.repeat(5 * 1024 * 1024) }),
      });
      expect(res.statusCode, path).toBe(413);
    }
  });
});
