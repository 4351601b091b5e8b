import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * ARCHITECTURE §4's import rules, checked over every source file:
 * - kernel imports nothing of ours; canonical imports only kernel;
 * - a connector imports only connectors/sdk, canonical and kernel (never another connector or a domain);
 * - domains never import each other;
 * - only cli imports gateway, console and sim together, and nothing imports cli;
 * - only a driver file imports a database or bus client library;
 * - another module is entered through its index.ts (its door), not its inner files.
 */
const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

interface Import {
  file: string;
  spec: string;
  target: string | undefined;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : walk(p);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(importPattern)) {
    const spec = m[1] ?? m[2];
    if (!spec) continue;
    const target = spec.startsWith('.') ? resolve(dirname(file), spec) : undefined;
    out.push({ file, spec, target });
  }
  return out;
}

/** The module a path belongs to: 'kernel', 'connectors/shopify', 'domains/orders', 'flows', … */
function moduleOf(path: string): string {
  const parts = relative(src, path).split(sep);
  if (parts[0] === 'connectors' || parts[0] === 'domains' || parts[0] === 'edi') {
    return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return parts[0] ?? '';
}

function isTestFile(file: string): boolean {
  return /\.(test|contract)\.ts$/.test(file) || file.includes(`${sep}testing${sep}`);
}

const files = walk(src);
const all = files.flatMap(importsOf);
const ours = all.filter((i) => i.target?.startsWith(src));

describe('import rules (ARCHITECTURE §4)', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('kernel imports nothing of ours; canonical only kernel', () => {
    const bad = ours.filter((i) => {
      const from = moduleOf(i.file);
      const to = moduleOf(i.target!);
      if (from === 'kernel') return to !== 'kernel';
      if (from === 'canonical') return to !== 'canonical' && to !== 'kernel';
      return false;
    });
    expect(bad.map((i) => `${relative(root, i.file)} -> ${i.spec}`)).toEqual([]);
  });

  it('connectors import only connectors/sdk, canonical and kernel', () => {
    const bad = ours.filter((i) => {
      const from = moduleOf(i.file);
      if (!from.startsWith('connectors/') || from === 'connectors/sdk' || isTestFile(i.file)) return false;
      const to = moduleOf(i.target!);
      return !(to === from || to === 'connectors/sdk' || to === 'canonical' || to === 'kernel');
    });
    expect(bad.map((i) => `${relative(root, i.file)} -> ${i.spec}`)).toEqual([]);
  });

  it('domains never import each other', () => {
    const bad = ours.filter((i) => {
      const from = moduleOf(i.file);
      const to = moduleOf(i.target!);
      return from.startsWith('domains/') && to.startsWith('domains/') && from !== to;
    });
    expect(bad.map((i) => `${relative(root, i.file)} -> ${i.spec}`)).toEqual([]);
  });

  it('nothing imports cli, and only cli imports gateway, console and sim together', () => {
    const intoCli = ours.filter((i) => moduleOf(i.target!) === 'cli' && moduleOf(i.file) !== 'cli');
    expect(intoCli.map((i) => `${relative(root, i.file)} -> ${i.spec}`)).toEqual([]);
    const byFile = new Map<string, Set<string>>();
    for (const i of ours) {
      const to = moduleOf(i.target!);
      if (to !== 'gateway' && to !== 'console' && to !== 'sim') continue;
      const from = moduleOf(i.file);
      if (from === to || from === 'cli' || isTestFile(i.file)) continue;
      const set = byFile.get(from) ?? new Set();
      set.add(to);
      byFile.set(from, set);
    }
    const mixing = [...byFile.entries()].filter(([, set]) => set.size > 1).map(([m, set]) => `${m}: ${[...set].join(', ')}`);
    expect(mixing).toEqual([]);
    const simOutsideTests = ours.filter(
      (i) => moduleOf(i.target!) === 'sim' && !['sim', 'cli'].includes(moduleOf(i.file)) && !isTestFile(i.file),
    );
    expect(simOutsideTests.map((i) => `${relative(root, i.file)} -> ${i.spec}`)).toEqual([]);
  });

  it('only driver files import database and bus client libraries', () => {
    const clients = /^(better-sqlite3|pg|@nats-io\/.*)$/;
    const bad = all.filter((i) => clients.test(i.spec) && !relative(src, i.file).split(sep).includes('drivers') && !isTestFile(i.file));
    expect(bad.map((i) => `${relative(root, i.file)} -> ${i.spec}`)).toEqual([]);
  });

  it('another module is entered through its index.ts', () => {
    const bad = ours.filter((i) => {
      if (isTestFile(i.file)) return false;
      const from = moduleOf(i.file);
      const to = moduleOf(i.target!);
      if (from === to) return false;
      const rel = relative(join(src, to), i.target!);
      return rel !== 'index.js' && rel !== 'index.ts' && rel !== '';
    });
    expect(bad.map((i) => `${relative(root, i.file)} -> ${i.spec}`)).toEqual([]);
  });
});
