import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
const cliEntry = resolve(repoRoot, 'src/cli/main.ts');
// Resolved here, not from the child's cwd (tests run commands from temporary folders).
const tsxLoader = import.meta.resolve('tsx');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `crossdock …` from source (no build needed) and waits for it. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', tsxLoader, cliEntry, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, CROSSDOCK_LOG_LEVEL: 'warn', ...options.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `crossdock start …` in the background; resolves once it prints its URL. */
export async function startCliHub(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const child: ChildProcess = spawn(process.execPath, ['--import', tsxLoader, cliEntry, 'start', ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, CROSSDOCK_LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start: ${stdout}${stderr}`)), 30_000);
    const check = () => {
      const m = /crossdock (http:\/\/\S+)/.exec(stdout);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code}: ${stdout}${stderr}`));
    });
  });
  return {
    url,
    child,
    exited,
    output: () => ({ stdout, stderr }),
  };
}
