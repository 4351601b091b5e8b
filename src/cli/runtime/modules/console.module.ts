import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HubModule } from '../modules.js';

/** Content types of the files a Vite build emits. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Top-level files besides index.html that may be served (assets live under /assets/). */
const TOP_LEVEL = new Set(['.svg', '.png', '.ico', '.txt']);

// The console calls only its own origin; styles include React's style attributes.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  /** Hashed file names under /assets/ never change: cache them for a year; index.html is revalidated. */
  readonly immutable: boolean;
}

/** The package's root: the nearest folder above this file holding package.json (src/ in development, dist/ once built). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** Where `vite build --config src/console/vite.config.ts` writes the console. */
export const CONSOLE_DIST = join(packageRoot(), 'dist', 'console');

function loadFile(path: string, immutable: boolean): StaticFile {
  const body = readFileSync(path);
  return {
    body,
    type: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    immutable,
  };
}

/** Reads the built console into memory: index.html, the hashed assets and top-level icons. */
function loadBuild(dir: string): Map<string, StaticFile> | undefined {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return undefined;
  const files = new Map<string, StaticFile>([['/', loadFile(index, false)]]);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (TOP_LEVEL.has(extname(name)) && statSync(path).isFile()) files.set(`/${name}`, loadFile(path, false));
  }
  const assets = join(dir, 'assets');
  if (existsSync(assets)) {
    for (const name of readdirSync(assets, { recursive: true, encoding: 'utf8' })) {
      const path = resolve(assets, name);
      if (!path.startsWith(assets + sep) || !statSync(path).isFile() || name.endsWith('.map')) continue;
      if (CONTENT_TYPES[extname(name)] === undefined) continue;
      files.set(`/assets/${name.split(sep).join('/')}`, loadFile(path, true));
    }
  }
  return files;
}

function notBuiltPage(dir: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>crossdock console not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The crossdock console is not built</h1>
<p>This hub serves the operations console from <code>${dir.replace(/[<>&]/g, '')}</code>, which holds no <code>index.html</code>.</p>
<p>Build it from the package folder, then restart the hub:</p>
<pre>npm run build:console</pre>
<p>(that runs <code>vite build --config src/console/vite.config.ts</code>; <code>npm run build</code> includes it).
The JSON API the console uses is available meanwhile under <code>/ops</code> (see docs/ops-api.md).</p>
</body></html>
`;
}

/** The part of a Fastify reply the static handler uses (the gateway's and a bare Fastify's both fit). */
interface Reply {
  code(status: number): Reply;
  header(name: string, value: string): Reply;
  send(body?: string | Buffer): Reply;
}
type Handler = (request: { url: string; headers: IncomingHttpHeaders }, reply: Reply) => Promise<Reply>;

/** The part of a Fastify app the console registers on. */
export interface StaticRoutes {
  get(path: string, options: { config: { public: boolean } }, handler: Handler): unknown;
}

function send(reply: Reply, file: StaticFile, ifNoneMatch: string | undefined): Reply {
  reply
    .header('content-type', file.type)
    .header('etag', file.etag)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (file.type.startsWith('text/html')) reply.header('content-security-policy', CSP).header('x-frame-options', 'DENY');
  if (ifNoneMatch === file.etag) return reply.code(304).send();
  return reply.send(file.body);
}

/**
 * Registers the console's static files on a Fastify app: GET / (index.html), /assets/* (hashed,
 * immutable) and top-level icons. The build is read once, at registration. Without a build, /
 * answers 503 with a page saying how to build it. Also used by the console benchmark.
 */
export function serveConsole(app: StaticRoutes, dir: string = CONSOLE_DIST): { built: boolean } {
  const files = loadBuild(dir);
  if (!files) {
    app.get('/', { config: { public: true } }, async (_request, reply) =>
      reply.code(503).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(notBuiltPage(dir)),
    );
    return { built: false };
  }
  const handler: Handler = async (request, reply) => {
    const path = decodeURIComponent(request.url.split('?')[0] ?? '/');
    const file = files.get(path === '/index.html' ? '/' : path);
    if (!file) return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send(`not found: ${path}\n`);
    const inm = request.headers['if-none-match'];
    return send(reply, file, typeof inm === 'string' ? inm : undefined);
  };
  app.get('/', { config: { public: true } }, handler);
  app.get('/index.html', { config: { public: true } }, handler);
  app.get('/assets/*', { config: { public: true } }, handler);
  for (const path of files.keys()) {
    if (path !== '/' && !path.startsWith('/assets/')) app.get(path, { config: { public: true } }, handler);
  }
  return { built: true };
}

/** Options of the console module (tests point it at another build folder). */
export interface ConsoleModuleOptions {
  /** The built console; `dist/console` of the package by default. */
  dir?: string;
}

/** Serves the operations console (React + Vite, built to dist/console) at `/` on the hub's gateway. */
export function createConsoleModule(options: ConsoleModuleOptions = {}): HubModule {
  return {
    name: 'console',
    async start(ctx) {
      const dir = options.dir ?? CONSOLE_DIST;
      const { built } = serveConsole(ctx.gateway, dir);
      if (!built) ctx.logger.warn({ dir }, 'the console is not built; / explains how to build it (npm run build:console)');
    },
  };
}

/** The console module of a default hub. */
export const consoleModule: HubModule = createConsoleModule();
