/**
 * The operations console's weight and speed, beside an empty Vite page built in the same run.
 *
 *   npm run bench -- console [--runs 10]
 *
 * 1. Builds the console (src/console/vite.config.ts) and an empty Vite page (an index.html and a
 *    one-line module) into temporary folders with Vite's JS API, and reports the console's
 *    JavaScript gzipped (level 9, all .js under assets/).
 * 2. Serves each from a Fastify app with the hub's console module handler on loopback; the console
 *    also gets a real embedded hub's /ops API with a signed-in operator (token preset in the tab's
 *    sessionStorage), so "interactive" means the dashboard's figures are on screen.
 * 3. Time to interactive in headless Chromium, fresh context (cold cache) per run: from navigation
 *    start to the page's `console-interactive` mark (the baseline marks `baseline-interactive` when
 *    its module runs). Median over the runs.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';
import { startHub } from '../src/cli/runtime/hub.js';
import { createConsoleModule, serveConsole } from '../src/cli/runtime/modules/console.module.js';
import { createObservabilityModule } from '../src/cli/runtime/modules/observability.module.js';
import { loadConfig, silentLogger } from '../src/kernel/index.js';

const root = resolve(import.meta.dirname, '..');

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function gzippedJs(dir: string): { raw: number; gz: number } {
  let raw = 0;
  let gz = 0;
  for (const name of readdirSync(join(dir, 'assets'))) {
    if (!name.endsWith('.js')) continue;
    const body = readFileSync(join(dir, 'assets', name));
    raw += body.length;
    gz += gzipSync(body, { level: 9 }).length;
  }
  return { raw, gz };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

async function tti(browser: Browser, url: string, mark: string, token?: string): Promise<number> {
  const context = await browser.newContext();
  if (token) await context.addInitScript({ content: `sessionStorage.setItem('crossdock.console.token', ${JSON.stringify(token)});` });
  const page = await context.newPage();
  await page.goto(url);
  const ms = await page.waitForFunction((m) => performance.getEntriesByName(m)[0]?.startTime, mark, { timeout: 30_000 });
  const value = Number(await ms.jsonValue());
  await context.close();
  return value;
}

/** Builds, serves and measures the console and the empty page; prints a table and the summary line. */
export async function run(args: string[]): Promise<void> {
  const runs = arg(args, 'runs', 10);
  const work = mkdtempSync(join(tmpdir(), 'cd-bench-console-'));
  const consoleOut = join(work, 'console');
  const baseSrc = join(work, 'baseline-src');
  const baseOut = join(work, 'baseline');
  mkdirSync(baseSrc);
  writeFileSync(
    join(baseSrc, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>empty</title></head><body><script type="module" src="./main.js"></script></body></html>',
  );
  writeFileSync(join(baseSrc, 'main.js'), "performance.mark('baseline-interactive');\n");

  const t0 = performance.now();
  await build({
    configFile: join(root, 'src/console/vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: consoleOut, emptyOutDir: true },
  });
  const consoleBuildMs = performance.now() - t0;
  await build({ configFile: false, root: baseSrc, logLevel: 'silent', build: { outDir: baseOut, emptyOutDir: true } });
  const size = gzippedJs(consoleOut);
  const baseSize = gzippedJs(baseOut);

  const dataDir = join(work, 'data');
  const config = loadConfig({ env: {}, overrides: { dataDir, port: 0, host: '127.0.0.1', log: { level: 'silent' } } });
  const hub = await startHub(config, {
    logger: silentLogger(),
    modules: [createObservabilityModule(), createConsoleModule({ dir: consoleOut })],
  });
  await hub.identity.createUser('bench', 'bench-password-1', 'operator');
  const session = (await (
    await fetch(`${hub.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: 'bench-password-1' }),
    })
  ).json()) as { access_token: string };

  const baseline = Fastify();
  serveConsole(baseline, baseOut);
  const baseUrl = await baseline.listen({ host: '127.0.0.1', port: 0 });

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const consoleTimes: number[] = [];
  const baseTimes: number[] = [];
  try {
    // One warm-up each (Chromium's own start-up), then alternate so both see the same machine load.
    await tti(browser, `${hub.url}/#/dashboard`, 'console-interactive', session.access_token);
    await tti(browser, `${baseUrl}/`, 'baseline-interactive');
    for (let i = 0; i < runs; i++) {
      consoleTimes.push(await tti(browser, `${hub.url}/#/dashboard`, 'console-interactive', session.access_token));
      baseTimes.push(await tti(browser, `${baseUrl}/`, 'baseline-interactive'));
    }
  } finally {
    await browser.close();
    await baseline.close();
    await hub.stop();
    rmSync(work, { recursive: true, force: true });
  }

  const kb = (n: number) => (n / 1024).toFixed(1);
  const c = median(consoleTimes);
  const b = median(baseTimes);
  console.log(`console build: ${Math.round(consoleBuildMs)} ms; ${runs} cold loads each in headless Chromium on loopback (median)`);
  console.log('page              js raw KB   js gz KB   tti ms (median)   tti ms (min..max)');
  console.log(
    `dashboard         ${kb(size.raw).padStart(9)}  ${kb(size.gz).padStart(9)}   ${c.toFixed(0).padStart(15)}   ${Math.min(...consoleTimes).toFixed(0)}..${Math.max(...consoleTimes).toFixed(0)}`,
  );
  console.log(
    `empty vite page   ${kb(baseSize.raw).padStart(9)}  ${kb(baseSize.gz).padStart(9)}   ${b.toFixed(0).padStart(15)}   ${Math.min(...baseTimes).toFixed(0)}..${Math.max(...baseTimes).toFixed(0)}`,
  );
  console.log(`targets: < 300 KB gz (${size.gz < 300 * 1024 ? 'met' : 'missed'}), < 1000 ms tti (${c < 1000 ? 'met' : 'missed'})`);
  console.log(`bench console: ${kb(size.gz)} KB gz; tti ${c.toFixed(0)} ms; baseline tti ${b.toFixed(0)} ms`);
}
