import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { ClusterNodeConfig } from './cluster-node.js';

export interface ClusterNode {
  readonly processId: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code or signal once the process is gone. */
  readonly exited: Promise<string>;
  /** Everything the process wrote, for failure reports. */
  output(): string;
}

const script = resolve(import.meta.dirname, 'cluster-node.ts');

/** Starts test/support/cluster-node.ts as its own Node process and waits until it consumes. */
export async function spawnClusterNode(config: ClusterNodeConfig, readyTimeoutMs = 30_000): Promise<ClusterNode> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(config)], {
    cwd: resolve(import.meta.dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<string>((done) => child.once('exit', (code, signal) => done(signal ?? String(code))));
  const ready = new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${config.processId} not ready after ${readyTimeoutMs} ms:\n${output}`)), readyTimeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      if (output.includes(`ready ${config.processId}`)) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((how) => {
      clearTimeout(timer);
      fail(new Error(`${config.processId} exited (${how}) before it was ready:\n${output}`));
    });
  });
  await ready;
  return { processId: config.processId, child, exited, output: () => output };
}

/** SIGTERM, then SIGKILL if it lingers. */
export async function stopClusterNode(node: ClusterNode, graceMs = 5_000): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  node.child.kill('SIGTERM');
  const timer = setTimeout(() => node.child.kill('SIGKILL'), graceMs);
  await node.exited;
  clearTimeout(timer);
}
