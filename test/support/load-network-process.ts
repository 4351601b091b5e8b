import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import type { NetworkInfo } from './flows-chaos-network.js';
import { type LoadNetworkCounts, LoadNetworkReply, type LoadNetworkRequest } from './load-network-protocol.js';

export interface LoadNetworkProcess {
  readonly info: NetworkInfo;
  readonly pid: number;
  /** Subscribes `hookUrl` to the WMS's shipment webhooks and ships every released order. */
  ship(hookUrl: string): Promise<void>;
  counts(): Promise<LoadNetworkCounts>;
  close(): Promise<void>;
}

/** A request without its id (the id is given when it is sent). */
type Question = LoadNetworkRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

type Pending = (reply: Extract<LoadNetworkReply, { type: 'reply' }>) => void;

/**
 * Starts the load network (test/support/load-network.process.ts) as its own Node process and
 * resolves once its simulators listen on loopback.
 */
export async function startLoadNetworkProcess(readyTimeoutMs = 60_000): Promise<LoadNetworkProcess> {
  const script = resolve(import.meta.dirname, 'load-network.process.ts');
  const child = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const info = await new Promise<NetworkInfo>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the load network did not start within ${readyTimeoutMs} ms`)), readyTimeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`the load network exited (${signal ?? code}) before it was ready`));
    });
    child.on('message', (raw: unknown) => {
      const message = LoadNetworkReply.parse(raw);
      if (message.type === 'ready') {
        clearTimeout(timer);
        ok(message.info);
        return;
      }
      const done = pending.get(message.id);
      pending.delete(message.id);
      done?.(message);
    });
  });

  const ask = (request: Question) =>
    new Promise<Extract<LoadNetworkReply, { type: 'reply' }>>((ok, fail) => {
      if (exited) {
        fail(new Error('the load network process has exited'));
        return;
      }
      const id = nextId++;
      pending.set(id, ok);
      const message: LoadNetworkRequest = { ...request, id };
      child.send(message);
    });

  return {
    info,
    pid: child.pid ?? 0,
    async ship(hookUrl) {
      await ask({ type: 'ship', hookUrl });
    },
    async counts() {
      const reply = await ask({ type: 'counts' });
      if (!reply.counts) throw new Error('the load network answered without counts');
      return reply.counts;
    },
    async close() {
      if (exited) return;
      const gone = new Promise<void>((ok) => child.once('exit', () => ok()));
      await ask({ type: 'close' });
      await gone;
    },
  };
}
