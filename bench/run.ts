/**
 * `npm run bench -- <name> [...]` runs bench/<name>.bench.ts; with no name, lists them.
 * Each benchmark module exports `run(args)`; it prints a table, runs its baseline in the same
 * process, and ends with one summary line `bench <name>: …`.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run(args: string[]): Promise<void>;
}

function isBenchModule(value: unknown): value is BenchModule {
  return typeof value === 'object' && value !== null && 'run' in value && typeof value.run === 'function';
}

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(name ? `no benchmark named "${name}"` : 'usage: npm run bench -- <name> [args]');
  console.error(`benchmarks: ${available.join(', ') || '(none yet)'}`);
  process.exit(name ? 2 : 0);
}
const mod: unknown = await import(pathToFileURL(join(here, `${name}.bench.ts`)).href);
if (!isBenchModule(mod)) {
  console.error(`bench/${name}.bench.ts does not export run(args)`);
  process.exit(2);
}
await mod.run(args);
