import { afterEach, describe, expect, it } from 'vitest';
import { CrossdockError, ManualClock } from '../../kernel/index.js';
import { CircuitBreaker } from './breaker.js';
import { BucketBudget, ConcurrencyBudget, UnlimitedBudget } from './budget.js';
import { MemoryCapture } from './capture.js';
import { HttpTransport, parseRetryAfter } from './http.js';
import { json, startScriptedServer } from './testing/scripted-server.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function server(script: Parameters<typeof startScriptedServer>[0]) {
  const s = await startScriptedServer(script);
  servers.push(s);
  return s;
}

function transport(url: string, extra: Partial<ConstructorParameters<typeof HttpTransport>[0]> = {}) {
  const t = new HttpTransport({
    target: 'test:one',
    baseUrl: url,
    budget: new UnlimitedBudget('t'),
    retry: { baseMs: 5, maxMs: 20 },
    ...extra,
  });
  servers.push({ close: () => t.close() });
  return t;
}

describe('rate budgets', () => {
  it('a token bucket never lets calls exceed its rate', async () => {
    const budget = new BucketBudget('b', 5, 50);
    const started = Date.now();
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 30 }, async () => {
        await budget.acquire(1);
        times.push(Date.now() - started);
      }),
    );
    // 5 at once, then 25 more at 50/s: at least 0.5 s; and no 1-second window above 5 + 50.
    expect(Math.max(...times)).toBeGreaterThanOrEqual(450);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(55);
  });

  it('follows what a cost-based server reports, and pauses for Retry-After', async () => {
    const budget = new BucketBudget('g', 1000, 50);
    budget.observe({ currentlyAvailable: 10 });
    expect(Math.floor(budget.available())).toBeLessThan(20);
    budget.observe({ retryAfterMs: 150 });
    const t0 = Date.now();
    await budget.acquire(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('refuses a call that could never fit', async () => {
    await expect(new BucketBudget('g', 100, 10).acquire(101)).rejects.toMatchObject({ code: 'CD_ERR_CONNECTOR_BUDGET' });
  });

  it('a concurrency budget holds calls in flight to its maximum', async () => {
    const budget = new ConcurrencyBudget('ns', 2);
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        await budget.acquire();
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 10));
        inFlight -= 1;
        budget.release();
      }),
    );
    expect(peak).toBe(2);
  });
});

describe('circuit breaker', () => {
  it('opens after repeated failures, lets one trial through after the pause, and closes on success', () => {
    const clock = new ManualClock();
    const b = new CircuitBreaker('erp', { failureThreshold: 3, openMs: 1000 }, clock);
    b.failure();
    b.failure();
    b.admit();
    b.failure();
    expect(b.status).toBe('open');
    expect(() => b.admit()).toThrow(/paused/);
    clock.advance(1001);
    b.admit();
    expect(() => b.admit()).toThrow(/trial/);
    b.success();
    expect(b.status).toBe('closed');
  });
});

describe('http transport', () => {
  it('honours Retry-After on 429 and then succeeds', async () => {
    let calls = 0;
    const s = await server((_req, res) => {
      calls += 1;
      if (calls === 1) json(res, 429, { error: 'slow down' }, { 'retry-after': '0.2' });
      else json(res, 200, { ok: true });
    });
    const t0 = Date.now();
    const res = await transport(s.url).request<{ ok: boolean }>({ method: 'POST', path: '/things', body: { a: 1 } });
    expect(res.body.ok).toBe(true);
    expect(res.attempts).toBe(2);
    expect(s.received[1]!.at - s.received[0]!.at).toBeGreaterThanOrEqual(190);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('retries a read on 5xx, but never repeats a non-idempotent write that may have committed', async () => {
    const s = await server((_req, res) => json(res, 503, { error: 'maintenance' }));
    const t = transport(s.url, { retry: { maxAttempts: 3, baseMs: 1, maxMs: 2 } });
    await expect(t.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_UNAVAILABLE',
      errorClass: 'retryable',
    });
    expect(s.received).toHaveLength(3);
    s.received.length = 0;
    await expect(t.request({ method: 'POST', path: '/x', body: {} })).rejects.toMatchObject({ code: 'CD_ERR_CONNECTOR_UNAVAILABLE' });
    expect(s.received).toHaveLength(1);
    s.received.length = 0;
    await expect(t.request({ method: 'POST', path: '/x', body: {}, idempotent: true })).rejects.toBeInstanceOf(CrossdockError);
    expect(s.received).toHaveLength(3);
  });

  it('times out a hung call without repeating it', async () => {
    const s = await server(() => {
      // never answers
    });
    const t = transport(s.url, { timeoutMs: 150 });
    await expect(t.request({ method: 'POST', path: '/orders', body: { n: 1 } })).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_TIMEOUT',
    });
    expect(s.received).toHaveLength(1);
  });

  it('surfaces a vendor error body in a permanent error', async () => {
    const s = await server((_req, res) =>
      json(res, 400, [{ message: 'Required fields are missing: [Name]', errorCode: 'REQUIRED_FIELD_MISSING' }]),
    );
    const err = await transport(s.url)
      .request({ method: 'POST', path: '/sobjects/Account', body: {} })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CD_ERR_CONNECTOR_REJECTED', errorClass: 'permanent' });
    expect((err as CrossdockError).message).toContain('REQUIRED_FIELD_MISSING');
    expect((err as CrossdockError).details.vendorBody).toEqual([
      { message: 'Required fields are missing: [Name]', errorCode: 'REQUIRED_FIELD_MISSING' },
    ]);
  });

  it('refreshes credentials once on 401, and gives up on a second 401', async () => {
    let token = 'old';
    const s = await server((req, res) =>
      req.headers.authorization === 'Bearer new' ? json(res, 200, { ok: 1 }) : json(res, 401, { error: 'expired' }),
    );
    const auth = {
      apply: (r: { headers: Record<string, string> }) => {
        r.headers.authorization = `Bearer ${token}`;
      },
      refresh: async () => {
        token = 'new';
      },
    };
    await expect(transport(s.url, { auth }).request({ method: 'GET', path: '/me' })).resolves.toMatchObject({ status: 200 });
    token = 'old';
    const stuck = { apply: auth.apply, refresh: async () => {} };
    await expect(transport(s.url, { auth: stuck }).request({ method: 'GET', path: '/me' })).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_AUTH',
    });
  });

  it('captures exchanges with secrets masked', async () => {
    const s = await server((_req, res) => json(res, 200, { access_token: 'tok-123', name: 'ok' }));
    const capture = new MemoryCapture();
    await transport(s.url, { capture }).request({
      method: 'POST',
      path: '/oauth2/token',
      headers: { authorization: 'Basic c2VjcmV0', 'x-trace': 'keep' },
      body: 'grant_type=client_credentials&client_secret=hunter2&client_id=abc',
      operation: 'auth.token',
    });
    const [entry] = capture.list();
    expect(entry?.requestHeaders.authorization).toBe('[redacted]');
    expect(entry?.requestHeaders['x-trace']).toBe('keep');
    expect(entry?.requestBody).toContain('client_secret=%5Bredacted%5D');
    expect(entry?.requestBody).toContain('client_id=abc');
    expect(entry?.responseBody).toBe('{"access_token":"[redacted]","name":"ok"}');
    expect(JSON.stringify(capture.list())).not.toContain('hunter2');
  });

  it('opens the circuit after repeated server errors and fails fast', async () => {
    const s = await server((_req, res) => json(res, 500, { error: 'down' }));
    const breaker = new CircuitBreaker('test:one', { failureThreshold: 2, openMs: 60_000 });
    const t = transport(s.url, { breaker, retry: { maxAttempts: 1 } });
    for (let i = 0; i < 2; i++) await t.request({ method: 'GET', path: '/' }).catch(() => {});
    await expect(t.request({ method: 'GET', path: '/' })).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_CIRCUIT_OPEN',
      errorClass: 'retryable',
    });
    expect(s.received).toHaveLength(2);
  });

  it('gives a concurrency slot back when applying credentials fails', async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const budget = new ConcurrencyBudget('one', 1);
    const failing = { apply: () => Promise.reject(new Error('token endpoint down')) };
    const t = transport(s.url, { budget, auth: failing });
    await expect(t.request({ method: 'GET', path: '/' })).rejects.toThrow('token endpoint down');
    const ok = transport(s.url, { budget });
    await expect(ok.request({ method: 'GET', path: '/' })).resolves.toMatchObject({ status: 200 });
  });

  it('does not sit out a wait longer than its retry cap inside one call', async () => {
    const s = await server((_req, res) => json(res, 429, { error: 'slow down' }, { 'retry-after': '30' }));
    const t0 = Date.now();
    await expect(
      transport(s.url, { retry: { maxAttempts: 4, baseMs: 5, maxMs: 1000, maxWaitMs: 1000 } }).request({ method: 'GET', path: '/' }),
    ).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_RATE_LIMITED',
      details: { retryAfterMs: 30_000 },
    });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(s.received).toHaveLength(1);
  });

  it('resends a write that never reached the server (connection refused)', async () => {
    const t = transport('http://127.0.0.1:1', { retry: { maxAttempts: 2, baseMs: 1, maxMs: 2 } });
    const err = await t.request({ method: 'POST', path: '/x', body: {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CD_ERR_CONNECTOR_NETWORK', details: { notSent: true } });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-22T08:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 08:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
