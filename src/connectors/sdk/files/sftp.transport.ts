import { randomBytes } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { Client, type FileEntryWithStats, type SFTPWrapper, type Stats } from 'ssh2';
import { CrossdockError, type Logger } from '../../../kernel/index.js';
import { ConnectorErrors } from '../errors.js';
import { FileErrors } from './errors.js';
import { normalizeFingerprint, sha256Fingerprint } from './fingerprint.js';
import { baseName, dirName, type FileTransport, joinPath, type ReadOptions, type RemoteFile } from './transport.js';

export interface SftpTransportOptions {
  /** Stable id of this endpoint, e.g. `sftp:acme`; receipts are keyed by it. */
  id: string;
  host: string;
  port?: number;
  username: string;
  /** OpenSSH or PEM private key. */
  privateKey?: string | Buffer;
  passphrase?: string;
  password?: string;
  /**
   * The server's host key fingerprint as `ssh-keygen -lf` prints it (`SHA256:…`). Required: a
   * connection to a server presenting any other key is refused (a permanent error).
   */
  hostFingerprint: string;
  /** How long the TCP connect plus SSH handshake may take. */
  connectTimeoutMs?: number;
  /** How long one SFTP request may take before the connection is dropped and the call fails. */
  operationTimeoutMs?: number;
  /** SSH keepalives find a silently dead connection (NAT timeouts) before a request hangs on it. */
  keepaliveIntervalMs?: number;
  logger?: Logger;
}

interface Session {
  client: Client;
  sftp: SFTPWrapper;
  closed: boolean;
}

// SFTP status codes (draft-ietf-secsh-filexfer-02 §7).
const SFTP_NO_SUCH_FILE = 2;
const SFTP_PERMISSION_DENIED = 3;
const SFTP_NO_CONNECTION = 6;
const SFTP_CONNECTION_LOST = 7;

function sftpCode(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number' ? err.code : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A request that failed because the connection under it went away (worth one reconnect). */
function isConnectionLoss(err: unknown): boolean {
  const code = sftpCode(err);
  if (code === SFTP_NO_CONNECTION || code === SFTP_CONNECTION_LOST) return true;
  return /No response from server|Not connected|Channel not open|ECONNRESET|EPIPE|write after end|Unable to start subsystem/i.test(
    messageOf(err),
  );
}

function mapSftpError(err: unknown, op: string, path: string): CrossdockError {
  if (err instanceof CrossdockError) return err;
  const code = sftpCode(err);
  const details = { path, op };
  if (code === SFTP_NO_SUCH_FILE) return ConnectorErrors.notFound(`${op} ${path}: no such file`, details, { cause: err });
  if (code === SFTP_PERMISSION_DENIED) return ConnectorErrors.rejected(`${op} ${path}: permission denied`, details, { cause: err });
  if (isConnectionLoss(err)) return ConnectorErrors.network(`${op} ${path}: connection lost (${messageOf(err)})`, details, { cause: err });
  if (code !== undefined) return ConnectorErrors.rejected(`${op} ${path}: ${messageOf(err)}`, details, { cause: err });
  return ConnectorErrors.network(`${op} ${path}: ${messageOf(err)}`, details, { cause: err });
}

function toRemoteFile(path: string, attrs: Stats): RemoteFile {
  return { path, name: baseName(path), size: attrs.size, mtime: attrs.mtime * 1000, isFile: attrs.isFile() };
}

function call<T>(fn: (cb: (err: Error | undefined | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    try {
      fn((err, value) => (err ? reject(err) : resolve(value)));
    } catch (err) {
      reject(err);
    }
  });
}

/**
 * SFTP over ssh2. One connection is opened lazily and shared by all calls; when it drops, the next
 * call (or the call that saw the drop, once) reconnects. Errors are ConnectorErrors: a refused
 * login or host key is permanent, a network failure or timeout retryable.
 */
export class SftpTransport implements FileTransport {
  readonly id: string;
  private session: Promise<Session> | undefined;
  /** The connected session `session` resolved to, so a close event can tell whether it is current. */
  private live: Session | undefined;
  private readonly expectedFingerprint: string;

  constructor(private readonly options: SftpTransportOptions) {
    if (!options.privateKey && !options.password) {
      throw FileErrors.config(`sftp ${options.id}: a privateKey or a password is required`);
    }
    this.id = options.id;
    this.expectedFingerprint = normalizeFingerprint(options.hostFingerprint);
  }

  async list(dir: string): Promise<RemoteFile[]> {
    const entries = await this.withSftp('list', dir, (sftp) => call<FileEntryWithStats[]>((cb) => sftp.readdir(dir, cb)));
    return entries.filter((e) => e.filename !== '.' && e.filename !== '..').map((e) => toRemoteFile(joinPath(dir, e.filename), e.attrs));
  }

  async stat(path: string): Promise<RemoteFile> {
    const attrs = await this.withSftp('stat', path, (sftp) => call<Stats>((cb) => sftp.stat(path, cb)));
    return toRemoteFile(path, attrs);
  }

  async read(path: string, options: ReadOptions = {}): Promise<Readable> {
    // Opening through stat first turns a missing file into an error here rather than mid-stream.
    await this.stat(path);
    const session = await this.getSession();
    const source = session.sftp.createReadStream(path, { start: options.start ?? 0 });
    const out = new PassThrough();
    source.on('error', (err: unknown) => out.destroy(mapSftpError(err, 'read', path)));
    out.on('close', () => {
      if (!source.destroyed) source.destroy();
    });
    source.pipe(out);
    return out;
  }

  async write(path: string, data: Buffer | string): Promise<void> {
    const temp = joinPath(dirName(path), `.${baseName(path)}.${randomBytes(6).toString('hex')}.part`);
    const body = typeof data === 'string' ? Buffer.from(data) : data;
    try {
      await this.withSftp('write', temp, (sftp) => call<void>((cb) => sftp.writeFile(temp, body, (err) => cb(err, undefined))));
      await this.rename(temp, path);
    } catch (err) {
      await this.remove(temp).catch(() => undefined);
      throw err;
    }
  }

  async rename(from: string, to: string): Promise<void> {
    let attempt = 0;
    await this.withSftp('rename', from, async (sftp) => {
      attempt += 1;
      try {
        await this.posixRename(sftp, from, to);
      } catch (err) {
        // A rename repeated after a dropped connection may have happened the first time.
        if (attempt > 1 && sftpCode(err) === SFTP_NO_SUCH_FILE && (await this.exists(sftp, to))) return;
        throw err;
      }
    });
  }

  async archive(path: string, dir: string, name?: string): Promise<string> {
    const target = joinPath(dir, name ?? baseName(path));
    await this.withSftp('mkdir', dir, (sftp) => this.mkdirp(sftp, dir));
    await this.rename(path, target);
    return target;
  }

  async remove(path: string): Promise<void> {
    await this.withSftp('remove', path, (sftp) => call<void>((cb) => sftp.unlink(path, (err) => cb(err, undefined))));
  }

  async close(): Promise<void> {
    const pending = this.session;
    this.session = undefined;
    if (!pending) return;
    const session = await pending.catch(() => undefined);
    if (!session || session.closed) return;
    await new Promise<void>((resolve) => {
      session.client.once('close', () => resolve());
      session.client.end();
    });
  }

  /** Runs one request, reconnecting once if the connection turned out to be gone. */
  private async withSftp<T>(op: string, path: string, fn: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
    const timeoutMs = this.options.operationTimeoutMs ?? 30_000;
    for (let attempt = 1; ; attempt++) {
      const session = await this.getSession();
      try {
        return await this.withTimeout(session, op, path, timeoutMs, fn(session.sftp));
      } catch (err) {
        if (attempt === 1 && !(err instanceof CrossdockError) && (session.closed || isConnectionLoss(err))) {
          this.options.logger?.warn({ transport: this.id, op, path }, 'sftp connection lost; reconnecting');
          this.drop(session);
          continue;
        }
        throw mapSftpError(err, op, path);
      }
    }
  }

  private withTimeout<T>(session: Session, op: string, path: string, ms: number, work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // A request that hangs leaves the connection in an unknown state: drop it.
        this.drop(session);
        reject(ConnectorErrors.timeout(`${op} ${path}: no answer within ${ms} ms`, { path, op }));
      }, ms);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  private getSession(): Promise<Session> {
    if (!this.session) {
      const pending = this.connect();
      this.session = pending;
      pending.catch(() => {
        if (this.session === pending) this.session = undefined;
      });
    }
    return this.session;
  }

  private drop(session: Session): void {
    session.closed = true;
    session.client.end();
    if (this.live === session) {
      this.live = undefined;
      this.session = undefined;
    }
  }

  private connect(): Promise<Session> {
    const o = this.options;
    return new Promise((resolve, reject) => {
      const client = new Client();
      let presented: string | undefined;
      let settled = false;
      const fail = (err: CrossdockError) => {
        if (settled) return;
        settled = true;
        client.end();
        reject(err);
      };
      client.on('error', (err: Error & { level?: string }) => {
        if (settled) {
          o.logger?.warn({ transport: this.id, err: err.message }, 'sftp connection error');
          return;
        }
        const details = { host: o.host, port: o.port ?? 22 };
        if (presented !== undefined && presented !== this.expectedFingerprint) {
          fail(
            FileErrors.hostKey(`${o.host}:${o.port ?? 22} presented host key ${presented}, expected ${this.expectedFingerprint}`, {
              ...details,
              expected: this.expectedFingerprint,
              presented,
            }),
          );
        } else if (err.level === 'client-authentication') {
          fail(ConnectorErrors.auth(`sftp login as ${o.username} refused by ${o.host}: ${err.message}`, details, { cause: err }));
        } else if (err.level === 'client-timeout') {
          fail(
            ConnectorErrors.timeout(`sftp ${o.host}: no SSH handshake within ${o.connectTimeoutMs ?? 10_000} ms`, details, { cause: err }),
          );
        } else {
          fail(ConnectorErrors.network(`sftp ${o.host}:${o.port ?? 22}: ${err.message}`, details, { cause: err }));
        }
      });
      client.on('close', () => fail(ConnectorErrors.network(`sftp ${o.host}: connection closed during the handshake`)));
      client.on('ready', () => {
        client.sftp((err, sftp) => {
          if (err) return fail(ConnectorErrors.rejected(`sftp ${o.host}: the server refused the sftp subsystem: ${err.message}`));
          settled = true;
          const session: Session = { client, sftp, closed: false };
          client.on('close', () => {
            session.closed = true;
            if (this.live === session) {
              this.live = undefined;
              this.session = undefined;
            }
          });
          this.live = session;
          resolve(session);
        });
      });
      client.connect({
        host: o.host,
        port: o.port ?? 22,
        username: o.username,
        privateKey: o.privateKey,
        passphrase: o.passphrase,
        password: o.password,
        readyTimeout: o.connectTimeoutMs ?? 10_000,
        keepaliveInterval: o.keepaliveIntervalMs ?? 10_000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          presented = sha256Fingerprint(key);
          return presented === this.expectedFingerprint;
        },
      });
    });
  }

  /** POSIX rename replaces the target atomically; plain SFTP v3 rename refuses an existing target. */
  private async posixRename(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
    try {
      await call<void>((cb) => sftp.ext_openssh_rename(from, to, (err) => cb(err, undefined)));
    } catch (err) {
      if (!/does not support/.test(messageOf(err))) throw err;
      if (await this.exists(sftp, to)) await call<void>((cb) => sftp.unlink(to, (e) => cb(e, undefined)));
      await call<void>((cb) => sftp.rename(from, to, (e) => cb(e, undefined)));
    }
  }

  private async exists(sftp: SFTPWrapper, path: string): Promise<boolean> {
    try {
      await call<Stats>((cb) => sftp.stat(path, cb));
      return true;
    } catch (err) {
      if (sftpCode(err) === SFTP_NO_SUCH_FILE) return false;
      throw err;
    }
  }

  private async mkdirp(sftp: SFTPWrapper, dir: string): Promise<void> {
    const parts = dir.split('/').filter((p) => p.length > 0);
    let current = dir.startsWith('/') ? '' : '.';
    for (const part of parts) {
      current = `${current}/${part}`;
      if (await this.exists(sftp, current)) continue;
      const path = current;
      try {
        await call<void>((cb) => sftp.mkdir(path, (err) => cb(err, undefined)));
      } catch (err) {
        // Another process may have created it between the stat and the mkdir.
        if (!(await this.exists(sftp, path))) throw err;
      }
    }
  }
}
