import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * How to start a TypeScript script as a child process many times over (the crash and chaos tests).
 * The script runs as one bundled file (esbuild, which tsx brings along): it loads in about a third
 * of the CPU time the sources take through tsx's loader, which keeps such tests inside their time
 * on a busy machine. The bundle sits under node_modules/.cache so its package imports resolve; if
 * it cannot be built, the sources run through tsx. `remove()` deletes the bundle.
 */
export async function childScript(script: string, name: string): Promise<{ args: string[]; remove(): void }> {
  const dir = resolve(import.meta.dirname, '../../node_modules/.cache/crossdock-tests');
  const outfile = join(dir, `${name}-${process.pid}.mjs`);
  const remove = () => rmSync(outfile, { force: true });
  try {
    const { build } = await import('esbuild');
    mkdirSync(dir, { recursive: true });
    await build({
      entryPoints: [script],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
    return { args: [outfile], remove };
  } catch {
    return { args: ['--import', 'tsx', script], remove };
  }
}
