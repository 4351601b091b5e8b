import type { Readable } from 'node:stream';

/** A file as a transport lists it. `mtime` is epoch milliseconds (SFTP carries whole seconds). */
export interface RemoteFile {
  /** Absolute path on the remote side, `/` separated. */
  path: string;
  name: string;
  size: number;
  mtime: number;
  isFile: boolean;
}

export interface ReadOptions {
  /** Byte offset to start at (a checkpointed batch load resumes mid-file). */
  start?: number;
}

/**
 * What crossdock needs from a way of exchanging files with a partner: an SFTP server, a local drop
 * folder, and later AS2. Paths are absolute and `/` separated.
 *
 * How AS2 (RFC 4130) maps onto it, so an AS2 transport can slot in later without changing pollers:
 * - an inbound AS2 message is received over HTTP by the gateway, decrypted and verified, then stored
 *   as a file in an inbox "directory" (a store-backed or disk folder keyed by the AS2 Message-ID);
 *   `list(inbox)` and `read(path)` return it, so the `InboundFilePoller` processes it exactly once;
 * - the MDN (the signed receipt) is sent when the poller archives the message: `archive()` is where
 *   the AS2 transport answers with a positive MDN, and the `failed` directory with a negative one
 *   (asynchronous MDN; a synchronous MDN only acknowledges receipt and decryption);
 * - `write(path, data)` sends an outbound message to the partner URL; it resolves once the partner's
 *   MDN arrives (synchronous) or once the message is accepted (asynchronous), and the
 *   `OutboundFileSender` records the MDN later through `acknowledge()`;
 * - `remove()` and `rename()` act on the local message store, since AS2 has no remote file system.
 */
export interface FileTransport {
  /** Identifies this endpoint in receipts, e.g. `sftp:acme-supplier`; stable across restarts. */
  readonly id: string;
  /** Files and directories directly in `dir` (not recursive, without `.` and `..`). */
  list(dir: string): Promise<RemoteFile[]>;
  /** Metadata of one path; a `CD_ERR_CONNECTOR_NOT_FOUND` error when it does not exist. */
  stat(path: string): Promise<RemoteFile>;
  /** A stream of the file's bytes. */
  read(path: string, options?: ReadOptions): Promise<Readable>;
  /**
   * Writes `data` to a temporary name in the same directory, then renames it over `path`, so a
   * reader polling that directory never sees a half-written file.
   */
  write(path: string, data: Buffer | string): Promise<void>;
  /** Renames, replacing an existing `to`. */
  rename(from: string, to: string): Promise<void>;
  /** Moves `path` into `dir` (created when missing) as `name` (default: its own name); returns the new path. */
  archive(path: string, dir: string, name?: string): Promise<string>;
  remove(path: string): Promise<void>;
  close(): Promise<void>;
}

/** The last segment of a `/` separated path. */
export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** The directory part of a `/` separated path (`/` for a file at the root). */
export function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  if (i <= 0) return '/';
  return path.slice(0, i);
}

export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** Reads a whole stream into memory, refusing one larger than `maxBytes` (size limits on every input). */
export async function readAll(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    total += buf.length;
    if (total > maxBytes) {
      stream.destroy();
      throw new RangeError(`file is larger than the limit of ${maxBytes} bytes`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
