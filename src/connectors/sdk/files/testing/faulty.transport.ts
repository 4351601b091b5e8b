import type { Readable } from 'node:stream';
import type { FileTransport, ReadOptions, RemoteFile } from '../transport.js';

type Method = 'list' | 'stat' | 'read' | 'write' | 'rename' | 'archive' | 'remove';

/**
 * Wraps a transport and fails chosen calls, to simulate a crash or an outage at a precise point.
 * `fail(method, error, { after })`: the next call fails; with `after: true` the call is carried out
 * first and its reply is lost (the remote side changed, the caller sees an error).
 */
export class FaultyTransport implements FileTransport {
  readonly id: string;
  private readonly faults: Array<{ method: Method; error: Error; after: boolean }> = [];
  readonly calls: Method[] = [];

  constructor(private readonly inner: FileTransport) {
    this.id = inner.id;
  }

  fail(method: Method, error: Error, options: { after?: boolean } = {}): void {
    this.faults.push({ method, error, after: options.after ?? false });
  }

  private async run<T>(method: Method, fn: () => Promise<T>): Promise<T> {
    this.calls.push(method);
    const i = this.faults.findIndex((f) => f.method === method);
    if (i < 0) return fn();
    const [fault] = this.faults.splice(i, 1);
    if (fault?.after) await fn();
    throw fault?.error;
  }

  list(dir: string): Promise<RemoteFile[]> {
    return this.run('list', () => this.inner.list(dir));
  }
  stat(path: string): Promise<RemoteFile> {
    return this.run('stat', () => this.inner.stat(path));
  }
  read(path: string, options?: ReadOptions): Promise<Readable> {
    return this.run('read', () => this.inner.read(path, options));
  }
  write(path: string, data: Buffer | string): Promise<void> {
    return this.run('write', () => this.inner.write(path, data));
  }
  rename(from: string, to: string): Promise<void> {
    return this.run('rename', () => this.inner.rename(from, to));
  }
  archive(path: string, dir: string, name?: string): Promise<string> {
    return this.run('archive', () => this.inner.archive(path, dir, name));
  }
  remove(path: string): Promise<void> {
    return this.run('remove', () => this.inner.remove(path));
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
