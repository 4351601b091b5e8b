/**
 * Browser-test support: Debian's Chromium driven by playwright-core, and the console's build
 * (made once per run when dist/console is absent or older than its sources).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '../..');
/** The console's sources and the folder the hub serves it from. */
export const CONSOLE_SRC = join(root, 'src', 'console');
export const CONSOLE_DIST = join(root, 'dist', 'console');
/** Screenshots and other artifacts of browser tests (git-ignored). */
export const ARTIFACTS = join(root, 'test-artifacts');

/** Launches headless Chromium from /usr/bin/chromium with the flags CI needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
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
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return newest;
}

/** True when dist/console/index.html exists and is newer than every console source file. */
export function consoleBuildIsCurrent(): boolean {
  const index = join(CONSOLE_DIST, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= newestMtime(CONSOLE_SRC);
}

/**
 * Builds the console with Vite's JS API unless the build is current. A lock folder keeps two
 * test files of one run from building at the same time; the second waits and reuses the result.
 */
export async function ensureConsoleBuilt(): Promise<string> {
  if (consoleBuildIsCurrent()) return CONSOLE_DIST;
  const lock = join(root, 'node_modules', '.console-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (statSafe(lock) < Date.now() - 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another console build');
      await new Promise((r) => setTimeout(r, 200));
      if (consoleBuildIsCurrent()) return CONSOLE_DIST;
    }
  }
  try {
    if (!consoleBuildIsCurrent()) {
      const { build } = await import('vite');
      await build({ configFile: join(CONSOLE_SRC, 'vite.config.ts'), logLevel: 'warn' });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return CONSOLE_DIST;
}

function statSafe(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now();
  }
}
