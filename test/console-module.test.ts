import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveConsole } from '../src/cli/runtime/modules/console.module.js';

/** The console module's static serving: content types, caching, ETags, no stray files, and the page shown when the console is not built. */
let dir: string;
let app: FastifyInstance;
let bare: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cd-console-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>console</title><script type="module" src="/assets/index-abc123.js"></script>',
  );
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("hi")');
  writeFileSync(join(dir, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(dir, 'assets', 'index-abc123.js.map'), '{}');
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, 'vite.config.js'), 'secret build file');
  app = Fastify();
  expect(serveConsole(app, dir)).toEqual({ built: true });
  bare = Fastify();
  expect(serveConsole(bare, join(dir, 'missing'))).toEqual({ built: false });
});
afterAll(async () => {
  await app.close();
  await bare.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('console static files', () => {
  it('serves index.html at / with no-cache, a CSP and an ETag that answers 304', async () => {
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.body).toContain('/assets/index-abc123.js');
    const again = await app.inject({ url: '/', headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves hashed assets as immutable with their content type', async () => {
    const js = await app.inject({ url: '/assets/index-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.body).toBe('console.log("hi")');
    expect((await app.inject({ url: '/assets/index-abc123.css' })).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await app.inject({ url: '/favicon.svg' })).headers['content-type']).toBe('image/svg+xml');
  });

  it('serves nothing else: no source maps, no build files, no path traversal', async () => {
    expect((await app.inject({ url: '/assets/index-abc123.js.map' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/vite.config.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/assets/../index.html' })).statusCode).not.toBe(500);
    expect((await app.inject({ url: '/assets/%2e%2e%2fvite.config.js' })).statusCode).toBe(404);
  });

  it('without a build, / explains how to build the console', async () => {
    const res = await bare.inject({ url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('npm run build:console');
    expect(res.body).toContain('not built');
  });
});
