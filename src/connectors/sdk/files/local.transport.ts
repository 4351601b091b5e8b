import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CrossdockError } from '../../../kernel/index.js';
import { ConnectorErrors } from '../errors.js';
import { baseName, dirName, type FileTransport, joinPath, type ReadOptions, type RemoteFile } from './transport.js';

function mapFsError(err: unknown, op: string, path: string): CrossdockError {
  if (err instanceof CrossdockError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ENOENT') return ConnectorErrors.notFound(`${op} ${path}: no such file`, { path, op }, { cause: err });
  if (code === 'EACCES' || code === 'EPERM')
    return ConnectorErrors.rejected(`${op} ${path}: permission denied`, { path, op }, { cause: err });
  return ConnectorErrors.unavailable(`${op} ${path}: ${message}`, { path, op }, { cause: err });
}

async function guard<T>(op: string, path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw mapFsError(err, op, path);
  }
}

/**
 * A directory on this machine (a mounted share, a drop folder, a file given on the command line),
 * with the same contract as SFTP: atomic writes, archive by rename.
 */
export class LocalFileTransport implements FileTransport {
  constructor(readonly id: string = 'local') {}

  list(dir: string): Promise<RemoteFile[]> {
    return guard('list', dir, async () => {
      const names = await readdir(dir);
      return Promise.all(names.map((name) => this.stat(joinPath(dir, name))));
    });
  }

  stat(path: string): Promise<RemoteFile> {
    return guard('stat', path, async () => {
      const s = await stat(path);
      return { path, name: baseName(path), size: s.size, mtime: Math.floor(s.mtimeMs), isFile: s.isFile() };
    });
  }

  read(path: string, options: ReadOptions = {}): Promise<Readable> {
    return guard('read', path, async () => {
      await stat(path);
      return createReadStream(path, { start: options.start ?? 0 });
    });
  }

  write(path: string, data: Buffer | string): Promise<void> {
    const temp = joinPath(dirName(path), `.${baseName(path)}.${randomBytes(6).toString('hex')}.part`);
    return guard('write', path, async () => {
      try {
        await writeFile(temp, data);
        await rename(temp, path);
      } catch (err) {
        await unlink(temp).catch(() => undefined);
        throw err;
      }
    });
  }

  rename(from: string, to: string): Promise<void> {
    return guard('rename', from, () => rename(from, to));
  }

  archive(path: string, dir: string, name?: string): Promise<string> {
    const target = joinPath(dir, name ?? baseName(path));
    return guard('archive', path, async () => {
      await mkdir(dir, { recursive: true });
      await rename(path, target);
      return target;
    });
  }

  remove(path: string): Promise<void> {
    return guard('remove', path, () => unlink(path));
  }

  async close(): Promise<void> {}
}
