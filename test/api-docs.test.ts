import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../src/gateway/routes/v1/testing/harness.js';

/** Every `POST /v1/…` example in docs/api.md, with its body. */
function documentedPosts(): Array<{ path: string; body: string }> {
  const text = readFileSync(resolve(import.meta.dirname, '../docs/api.md'), 'utf8');
  const blocks = [...text.matchAll(/```(?:http|json)\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks.flatMap((block) => {
    const m = /^POST (\/v1\/\S+)/m.exec(block);
    if (!m?.[1]) return [];
    const start = block.indexOf('{');
    return start < 0 ? [] : [{ path: m[1], body: block.slice(start) }];
  });
}

let h: ApiHarness;
let key: string;
beforeAll(async () => {
  h = await createApiHarness();
  key = await h.partner('docs-reader');
});
afterAll(async () => {
  await h.close();
});

describe('docs/api.md', () => {
  it('every POST example in the guide is accepted by the API as written', async () => {
    const posts = documentedPosts();
    expect(posts.map((p) => p.path.replace(/\/v1\/orders\/[^/]+\/cancel/, '/v1/orders/{id}/cancel')).sort()).toEqual(
      ['/v1/acknowledgements', '/v1/asns', '/v1/inventory-updates', '/v1/orders', '/v1/orders/{id}/cancel', '/v1/returns'].sort(),
    );
    let orderId = '';
    for (const { path, body } of posts.sort((a, b) => a.path.length - b.path.length)) {
      const url = path.includes('/cancel') ? `/v1/orders/${orderId}/cancel` : path;
      const res = await h.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: JSON.parse(body),
      });
      expect(res.statusCode, `${path}: ${res.body}`).toBeLessThan(300);
      if (path === '/v1/orders') orderId = res.json().id;
    }
  });
});
